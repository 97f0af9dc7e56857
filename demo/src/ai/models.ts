import { GEN_AI_PROVIDER } from '@modelwatch/conventions';

/** The two providers the demo talks to, named as `gen_ai_provider_name`. */
export type Provider = typeof GEN_AI_PROVIDER.openai | typeof GEN_AI_PROVIDER.anthropic;
export const PROVIDERS: readonly Provider[] = [GEN_AI_PROVIDER.openai, GEN_AI_PROVIDER.anthropic];

/** Cheap and fast vs. slower and better: what a caller asks for when it does not name a model. */
export type Tier = 'fast' | 'premium';
export const TIERS: readonly Tier[] = ['fast', 'premium'];

export interface ChatModel {
  readonly name: string;
  readonly provider: Provider;
  readonly tier: Tier;
  /** Only used when a request names it; the router never picks it for a tier. */
  readonly explicitOnly?: boolean;
}

/**
 * Chat models. The router picks among the first four, one per provider and
 * tier, so each has a failover twin. `northwind-support-1` is the shop's own model behind an OpenAI-compatible API:
 * no public price table knows it, so calls to it show up as unpriced.
 */
export const CHAT_MODELS: readonly ChatModel[] = [
  { name: 'gpt-4o-mini', provider: 'openai', tier: 'fast' },
  { name: 'claude-haiku-4-5', provider: 'anthropic', tier: 'fast' },
  { name: 'gpt-4o', provider: 'openai', tier: 'premium' },
  // Not 4.5: the Anthropic SDK prints a deprecation warning on every call to it.
  { name: 'claude-sonnet-4-6', provider: 'anthropic', tier: 'premium' },
  { name: 'northwind-support-1', provider: 'openai', tier: 'fast', explicitOnly: true },
];

export const EMBEDDING_MODEL = 'text-embedding-3-small';

export function findChatModel(name: string): ChatModel | undefined {
  return CHAT_MODELS.find((model) => model.name === name);
}

/** The same-tier model of the other provider: where a call goes when its provider fails. */
export function failoverTwin(model: ChatModel): ChatModel | undefined {
  return CHAT_MODELS.find((other) => !other.explicitOnly && other.tier === model.tier && other.provider !== model.provider);
}

export function modelFor(tier: Tier, provider: Provider): ChatModel {
  const model = CHAT_MODELS.find((candidate) => !candidate.explicitOnly && candidate.tier === tier && candidate.provider === provider);
  if (!model) throw new Error(`No ${tier} model for ${provider}`);
  return model;
}

/** The provider serving a model (chat or embeddings), if the demo knows it. */
export function providerOfModel(name: string): Provider | undefined {
  return name === EMBEDDING_MODEL ? 'openai' : findChatModel(name)?.provider;
}
