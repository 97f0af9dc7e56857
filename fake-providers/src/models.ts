/** The wire formats the fake speaks. */
export const PROVIDER_NAMES = ['openai', 'anthropic', 'gemini'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** How one model behaves: names, speed, output length and limits. Latencies are before `timeScale`. */
export interface ModelProfile {
  /** The API that serves the model. */
  provider: ProviderName;
  /** The name clients send as `model`. */
  name: string;
  /**
   * The dated snapshot the API answers with in the response's `model`
   * (`gpt-4o-mini` → `gpt-4o-mini-2024-07-18`). Requests naming the snapshot also match.
   * @defaultValue `name`
   */
  snapshot?: string;
  /**
   * What the model does: `chat` serves chat completions, responses and messages;
   * `embedding` serves embeddings.
   * @defaultValue `'chat'`
   */
  kind?: 'chat' | 'embedding';
  /** Median time to first token in milliseconds (log-normally spread around it). */
  ttftMedianMs: number;
  /**
   * Spread of the time to first token: sigma of its logarithm (0 = always the median).
   * @defaultValue `0.35`
   */
  ttftSigma?: number;
  /**
   * Extra time to first token per 1000 uncached input tokens (prefill), in milliseconds.
   * @defaultValue `20`
   */
  prefillMsPer1kTokens?: number;
  /** Time per output token in milliseconds (inverse of the generation speed). */
  msPerOutputToken: number;
  /**
   * Median answer length in tokens when `max_tokens` does not cap it.
   * @defaultValue `160`
   */
  outputTokensMedian?: number;
  /**
   * Spread of the answer length: sigma of its logarithm.
   * @defaultValue `0.6`
   */
  outputTokensSigma?: number;
  /**
   * The most output tokens the model produces, whatever the request asks.
   * @defaultValue `16384`
   */
  maxOutputTokens?: number;
  /**
   * Reasoning models only: median hidden reasoning tokens per call, reported as
   * `reasoning_tokens` and included in the output token count. Absent for other models.
   * @defaultValue `undefined` (not a reasoning model)
   */
  reasoningTokensMedian?: number;
  /**
   * Embedding models only: vector length when the request does not ask for `dimensions`.
   * Kept small on purpose; real models use 1536 or more.
   * @defaultValue `32`
   */
  embeddingDimensions?: number;
  /**
   * Prompt caching threshold in tokens. OpenAI: the shortest prompt that is cached
   * automatically. Anthropic: the shortest prefix a `cache_control` breakpoint can cache
   * (shorter breakpoints are ignored, as the real API does).
   * @defaultValue `1024`
   */
  minCacheableTokens?: number;
}

/** A profile with every default filled in. */
export type ResolvedProfile = Required<Omit<ModelProfile, 'reasoningTokensMedian'>> & Pick<ModelProfile, 'reasoningTokensMedian'>;

/**
 * The models the fake knows out of the box. Names and snapshots exist in the
 * `@pydantic/genai-prices` table, so the exporter prices their calls for real.
 */
export const DEFAULT_MODEL_PROFILES: readonly ModelProfile[] = Object.freeze([
  { provider: 'openai', name: 'gpt-4o-mini', snapshot: 'gpt-4o-mini-2024-07-18', ttftMedianMs: 350, msPerOutputToken: 12, outputTokensMedian: 180 },
  { provider: 'openai', name: 'gpt-4o', snapshot: 'gpt-4o-2024-08-06', ttftMedianMs: 500, msPerOutputToken: 18, outputTokensMedian: 220 },
  { provider: 'openai', name: 'gpt-4.1-mini', snapshot: 'gpt-4.1-mini-2025-04-14', ttftMedianMs: 300, msPerOutputToken: 10, outputTokensMedian: 200, maxOutputTokens: 32768 },
  { provider: 'openai', name: 'o4-mini', snapshot: 'o4-mini-2025-04-16', ttftMedianMs: 600, msPerOutputToken: 8, outputTokensMedian: 240, maxOutputTokens: 100000, reasoningTokensMedian: 384 },
  { provider: 'openai', name: 'text-embedding-3-small', kind: 'embedding', ttftMedianMs: 60, ttftSigma: 0.25, msPerOutputToken: 0, embeddingDimensions: 32 },
  { provider: 'anthropic', name: 'claude-haiku-4-5', snapshot: 'claude-haiku-4-5-20251001', ttftMedianMs: 450, msPerOutputToken: 7, outputTokensMedian: 200, maxOutputTokens: 64000, minCacheableTokens: 4096 },
  // @anthropic-ai/sdk 1.12 prints a deprecation warning for every claude-sonnet-4-5 call: prefer claude-sonnet-4-6.
  { provider: 'anthropic', name: 'claude-sonnet-4-5', snapshot: 'claude-sonnet-4-5-20250929', ttftMedianMs: 900, msPerOutputToken: 14, outputTokensMedian: 260, maxOutputTokens: 64000, minCacheableTokens: 1024 },
  { provider: 'anthropic', name: 'claude-sonnet-4-6', ttftMedianMs: 800, msPerOutputToken: 13, outputTokensMedian: 260, maxOutputTokens: 64000, minCacheableTokens: 1024 },
  // Gemini 2.5 models think by default (thoughts before the first visible token); Flash can be told not to. Implicit caching from 1024 / 4096 tokens.
  { provider: 'gemini', name: 'gemini-2.5-flash', ttftMedianMs: 450, msPerOutputToken: 4, outputTokensMedian: 300, maxOutputTokens: 65536, reasoningTokensMedian: 512, minCacheableTokens: 1024 },
  { provider: 'gemini', name: 'gemini-2.5-pro', ttftMedianMs: 1400, msPerOutputToken: 7, outputTokensMedian: 400, maxOutputTokens: 65536, reasoningTokensMedian: 1200, minCacheableTokens: 4096 },
  { provider: 'gemini', name: 'gemini-embedding-001', kind: 'embedding', ttftMedianMs: 80, ttftSigma: 0.25, msPerOutputToken: 0, embeddingDimensions: 32 },
] satisfies ModelProfile[]);

function resolve(profile: ModelProfile): ResolvedProfile {
  return {
    snapshot: profile.name,
    kind: 'chat',
    ttftSigma: 0.35,
    prefillMsPer1kTokens: 20,
    outputTokensMedian: 160,
    outputTokensSigma: 0.6,
    maxOutputTokens: 16384,
    embeddingDimensions: 32,
    minCacheableTokens: 1024,
    ...profile,
  };
}

/** Profiles for models nobody configured: they answer (echoing the requested name) like a mid-size model. */
function fallbackProfile(provider: ProviderName, model: string, kind: 'chat' | 'embedding'): ResolvedProfile {
  return resolve({ provider, name: model, kind, ttftMedianMs: kind === 'chat' ? 500 : 60, msPerOutputToken: kind === 'chat' ? 15 : 0 });
}

/** Looks models up by provider and name (or snapshot name). */
export class ModelCatalog {
  readonly #profiles = new Map<string, ResolvedProfile>();

  /** `custom` profiles replace defaults of the same provider and name and add the others. */
  constructor(custom: readonly ModelProfile[] = []) {
    for (const profile of [...DEFAULT_MODEL_PROFILES, ...custom]) {
      validateProfile(profile);
      const resolved = resolve(profile);
      this.#profiles.set(key(resolved.provider, resolved.name), resolved);
    }
    for (const profile of [...this.#profiles.values()]) {
      const snapshotKey = key(profile.provider, profile.snapshot);
      if (!this.#profiles.has(snapshotKey)) this.#profiles.set(snapshotKey, profile);
    }
  }

  /** The profile for `model`, or a generic one of the given kind echoing the name. */
  find(provider: ProviderName, model: string, fallbackKind: 'chat' | 'embedding'): ResolvedProfile {
    return this.#profiles.get(key(provider, model)) ?? fallbackProfile(provider, model, fallbackKind);
  }
}

function key(provider: ProviderName, model: string): string {
  return `${provider}\u0000${model}`;
}

function validateProfile(profile: ModelProfile): void {
  if (!(PROVIDER_NAMES as readonly string[]).includes(profile.provider)) {
    throw new TypeError(`Model profile ${JSON.stringify(profile.name)}: provider must be one of ${PROVIDER_NAMES.join(', ')}, got ${JSON.stringify(profile.provider)}`);
  }
  if (typeof profile.name !== 'string' || profile.name === '') {
    throw new TypeError(`Model profile: name must be a non-empty string, got ${JSON.stringify(profile.name)}`);
  }
  for (const field of ['ttftMedianMs', 'msPerOutputToken', 'ttftSigma', 'prefillMsPer1kTokens', 'outputTokensMedian', 'outputTokensSigma', 'maxOutputTokens', 'reasoningTokensMedian', 'embeddingDimensions', 'minCacheableTokens'] as const) {
    const value = profile[field];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new TypeError(`Model profile ${JSON.stringify(profile.name)}: ${field} must be a finite number ≥ 0, got ${JSON.stringify(value)}`);
    }
  }
}
