/**
 * The one provider table: every provider Modelwatch names, by its OTel
 * `gen_ai.provider.name` (the conventions' `GEN_AI_PROVIDER`), with the
 * Vercel AI SDK provider ids that mean it and its provider id in genai-prices.
 */
import { GEN_AI_PROVIDER } from '@modelwatch/conventions';

interface Provider {
  /** `gen_ai_provider_name`. */
  readonly name: string;
  /** AI SDK provider ids (or their dotted prefixes: `google.vertex.chat` → `google.vertex`). */
  readonly aiSdkIds: readonly string[];
  /** The provider's id in `@pydantic/genai-prices`. */
  readonly pricesId: string;
}

const PROVIDERS: readonly Provider[] = [
  { name: GEN_AI_PROVIDER.openai, aiSdkIds: ['openai'], pricesId: 'openai' },
  { name: GEN_AI_PROVIDER.anthropic, aiSdkIds: ['anthropic'], pricesId: 'anthropic' },
  { name: GEN_AI_PROVIDER.gcpVertexAi, aiSdkIds: ['google.vertex', 'vertex'], pricesId: 'google' },
  { name: GEN_AI_PROVIDER.gcpGemini, aiSdkIds: ['google'], pricesId: 'google' },
  { name: GEN_AI_PROVIDER.gcpGenAi, aiSdkIds: [], pricesId: 'google' },
  { name: GEN_AI_PROVIDER.awsBedrock, aiSdkIds: ['amazon-bedrock', 'bedrock'], pricesId: 'aws' },
  { name: GEN_AI_PROVIDER.azureAiOpenai, aiSdkIds: ['azure'], pricesId: 'azure' },
  { name: GEN_AI_PROVIDER.azureAiInference, aiSdkIds: [], pricesId: 'azure' },
  { name: GEN_AI_PROVIDER.mistralAi, aiSdkIds: ['mistral'], pricesId: 'mistral' },
  { name: GEN_AI_PROVIDER.groq, aiSdkIds: ['groq'], pricesId: 'groq' },
  { name: GEN_AI_PROVIDER.deepseek, aiSdkIds: ['deepseek'], pricesId: 'deepseek' },
  { name: GEN_AI_PROVIDER.xAi, aiSdkIds: ['xai'], pricesId: 'x-ai' },
  { name: GEN_AI_PROVIDER.cohere, aiSdkIds: ['cohere'], pricesId: 'cohere' },
  { name: GEN_AI_PROVIDER.perplexity, aiSdkIds: ['perplexity'], pricesId: 'perplexity' },
];

/** AI SDK provider ids → `gen_ai_provider_name`. */
export const PROVIDER_BY_AI_SDK_ID: ReadonlyMap<string, string> = new Map(PROVIDERS.flatMap((p) => p.aiSdkIds.map((id) => [id, p.name] as const)));

/** `gen_ai_provider_name` → genai-prices provider id. */
export const GENAI_PRICES_PROVIDER: ReadonlyMap<string, string> = new Map(PROVIDERS.map((p) => [p.name, p.pricesId] as const));
