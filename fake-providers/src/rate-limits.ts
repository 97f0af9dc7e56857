import type { Fault } from './faults';
import type { ModelCatalog, ProviderName } from './models';

/**
 * What a limit counts. OpenAI limits requests and tokens (input and output together);
 * Anthropic limits requests, input tokens and output tokens, and its `tokens` headers
 * repeat whichever of the two token limits has fewer tokens left.
 */
export type RateLimitType = 'requests' | 'tokens' | 'input_tokens' | 'output_tokens';

/** The providers that send rate-limit headers (each in its own format). */
export type RateLimitedProvider = 'openai' | 'anthropic';

/** Per-minute limits of one model. OpenAI uses `tokensPerMinute`; Anthropic the input and output limits. */
export interface RateLimits {
  requestsPerMinute: number;
  /** OpenAI: input plus output tokens. */
  tokensPerMinute?: number;
  /** Anthropic: input tokens, cache writes included, cache reads not (as Anthropic counts them). */
  inputTokensPerMinute?: number;
  /** Anthropic: output tokens. */
  outputTokensPerMinute?: number;
}

/** Limits of one model, or of every model of a provider not configured by name (`model` left out). */
export interface RateLimitSetting extends Partial<RateLimits> {
  provider: RateLimitedProvider;
  /** The model name (a snapshot name means its model); omitted: the provider's default. */
  model?: string;
}

/**
 * Out-of-the-box limits, those of an organisation in the providers' usage tier 4 (high
 * enough that the demo's traffic never meets them; tests and faults lower or drain them).
 */
export const DEFAULT_RATE_LIMITS: Readonly<Record<RateLimitedProvider, { readonly default: RateLimits; readonly models: Readonly<Record<string, RateLimits>> }>> = {
  openai: {
    default: { requestsPerMinute: 10_000, tokensPerMinute: 2_000_000 },
    models: {
      'gpt-4o-mini': { requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 },
      'gpt-4o': { requestsPerMinute: 10_000, tokensPerMinute: 2_000_000 },
      'gpt-4.1-mini': { requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 },
      'o4-mini': { requestsPerMinute: 10_000, tokensPerMinute: 10_000_000 },
      'text-embedding-3-small': { requestsPerMinute: 10_000, tokensPerMinute: 5_000_000 },
    },
  },
  anthropic: {
    default: { requestsPerMinute: 4_000, inputTokensPerMinute: 2_000_000, outputTokensPerMinute: 400_000 },
    models: {
      'claude-haiku-4-5': { requestsPerMinute: 4_000, inputTokensPerMinute: 4_000_000, outputTokensPerMinute: 800_000 },
      'claude-sonnet-4-5': { requestsPerMinute: 4_000, inputTokensPerMinute: 2_000_000, outputTokensPerMinute: 400_000 },
      'claude-sonnet-4-6': { requestsPerMinute: 4_000, inputTokensPerMinute: 2_000_000, outputTokensPerMinute: 400_000 },
    },
  },
};

/** One limit as a response states it. */
export interface LimitState {
  type: RateLimitType;
  limit: number;
  /** Whole units left. */
  remaining: number;
  /** Milliseconds until the budget is full again, if nothing more is used. */
  resetMs: number;
}

/** The tokens one answered request consumes, as its usage reports them. */
export interface RateLimitCost {
  input: number;
  output: number;
}

/** What {@link RateLimiter.take} decided. */
export type Admission =
  | { ok: true; state: readonly LimitState[] }
  | { ok: false; state: readonly LimitState[]; exhausted: LimitState; requested: number; retryAfterSeconds: number };

const MS_PER_MINUTE = 60_000;

interface Budget {
  readonly type: Exclude<RateLimitType, 'tokens'> | 'tokens';
  readonly limit: number;
  level: number;
}

interface Bucket {
  readonly provider: RateLimitedProvider;
  readonly model: string;
  readonly budgets: readonly Budget[];
  settledAt: number;
}

/**
 * Per-(provider, model) budgets refilled continuously, as both providers do: a limit of
 * N per minute refills N/60 000 per millisecond up to N, so a budget is never "reset at
 * the minute". Each answered request takes 1 request and its tokens; a request that does
 * not fit is refused (429) and takes nothing. `rate_limit_drain` faults consume at a pace
 * of their own, like other services sharing the organisation's key.
 *
 * Buckets are settled lazily (at a request, or when a drain starts or stops), so the
 * state is exact at any instant without timers.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limits = new Map<string, RateLimits>();
  #drains: readonly Readonly<Fault>[] = [];

  constructor(
    private readonly catalog: ModelCatalog,
    settings: readonly RateLimitSetting[],
    private readonly now: () => number,
  ) {
    for (const setting of settings) this.#configure(setting);
  }

  /** The limits of `model` now, without taking anything (undefined for a provider without rate-limit headers). */
  peek(provider: ProviderName, model: string): readonly LimitState[] | undefined {
    const bucket = this.#bucket(provider, model);
    if (!bucket) return undefined;
    const now = this.now();
    this.#settle(bucket, now);
    return stateOf(bucket);
  }

  /** Takes one request and `cost` from `model`'s budgets, or refuses it whole. */
  take(provider: ProviderName, model: string, cost: RateLimitCost): Admission | undefined {
    const bucket = this.#bucket(provider, model);
    if (!bucket) return undefined;
    this.#settle(bucket, this.now());
    for (const budget of bucket.budgets) {
      const requested = amount(budget.type, cost);
      if (budget.level < requested) {
        const state = stateOf(bucket);
        const exhausted = state.find((limit) => limit.type === budget.type) as LimitState;
        const retryAfterSeconds = Math.max(1, Math.ceil(msToRefill(budget, requested - budget.level) / 1000));
        return { ok: false, state, exhausted, requested, retryAfterSeconds };
      }
    }
    for (const budget of bucket.budgets) budget.level -= amount(budget.type, cost);
    return { ok: true, state: stateOf(bucket) };
  }

  /**
   * Called with the drains in force from now on: settles every budget under the old
   * ones first. A drain naming a model (or the models with limits of their own) starts
   * on their budgets at once; other models' budgets from their first request.
   */
  setDrains(drains: readonly Readonly<Fault>[]): void {
    const now = this.now();
    for (const drain of drains) {
      for (const provider of ['openai', 'anthropic'] as const) {
        if (drain.provider !== undefined && drain.provider !== provider) continue;
        const models = drain.model === undefined ? Object.keys(DEFAULT_RATE_LIMITS[provider].models) : [drain.model];
        for (const model of models) this.#bucket(provider, model);
      }
    }
    for (const bucket of this.#buckets.values()) this.#settle(bucket, now);
    this.#drains = drains;
  }

  /** Every budget back to full (the limits configured stay). */
  reset(): void {
    this.#buckets.clear();
  }

  #configure(setting: RateLimitSetting): void {
    const { provider, model, ...limits } = setting;
    if (provider !== 'openai' && provider !== 'anthropic') throw new TypeError(`Rate limits: provider must be 'openai' or 'anthropic', got ${JSON.stringify(provider)}`);
    if (model !== undefined && (typeof model !== 'string' || model === '')) throw new TypeError(`Rate limits: model must be a non-empty string, got ${JSON.stringify(model)}`);
    for (const [field, value] of Object.entries(limits)) {
      if (!['requestsPerMinute', 'tokensPerMinute', 'inputTokensPerMinute', 'outputTokensPerMinute'].includes(field)) throw new TypeError(`Rate limits: unknown field ${field}`);
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) throw new TypeError(`Rate limits: ${field} must be a number > 0, got ${JSON.stringify(value)}`);
    }
    const name = model === undefined ? undefined : this.catalog.find(provider, model, 'chat').name;
    this.#limits.set(limitKey(provider, name), { ...this.#limitsOf(provider, name), ...limits });
  }

  /** The model's configured limits, else the provider's configured ones, else the model's defaults, else the provider's. */
  #limitsOf(provider: RateLimitedProvider, name: string | undefined): RateLimits {
    return (
      (name === undefined ? undefined : this.#limits.get(limitKey(provider, name))) ??
      this.#limits.get(limitKey(provider, undefined)) ??
      (name === undefined ? undefined : DEFAULT_RATE_LIMITS[provider].models[name]) ??
      DEFAULT_RATE_LIMITS[provider].default
    );
  }

  #bucket(provider: ProviderName, model: string): Bucket | undefined {
    if (provider !== 'openai' && provider !== 'anthropic') return undefined;
    // Requests for a snapshot share the budget of its model.
    const name = this.catalog.find(provider, model, 'chat').name;
    const key = limitKey(provider, name);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      const limits = this.#limitsOf(provider, name);
      const budget = (type: RateLimitType, limit: number | undefined): Budget[] => (limit === undefined ? [] : [{ type, limit, level: limit }]);
      const budgets =
        provider === 'openai'
          ? [...budget('requests', limits.requestsPerMinute), ...budget('tokens', limits.tokensPerMinute)]
          : [...budget('requests', limits.requestsPerMinute), ...budget('input_tokens', limits.inputTokensPerMinute), ...budget('output_tokens', limits.outputTokensPerMinute)];
      bucket = { provider, model: name, budgets, settledAt: this.now() };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  /** Brings `bucket` to `now`: refilled at its rate, drained at the drains' pace, within [0, limit]. */
  #settle(bucket: Bucket, now: number): void {
    const elapsed = now - bucket.settledAt;
    if (!(elapsed > 0)) return;
    for (const budget of bucket.budgets) {
      // Per minute first, then the elapsed share of it: whole numbers as long as they can be (no drift in the counts stated).
      const netPerMinute = budget.limit - this.#drainPerMinute(bucket, budget.type);
      budget.level = Math.min(budget.limit, Math.max(0, budget.level + (netPerMinute * elapsed) / MS_PER_MINUTE));
    }
    bucket.settledAt = now;
  }

  #drainPerMinute(bucket: Bucket, type: RateLimitType): number {
    let perMinute = 0;
    for (const drain of this.#drains) {
      if (drain.provider !== undefined && drain.provider !== bucket.provider) continue;
      if (drain.model !== undefined && this.catalog.find(bucket.provider, drain.model, 'chat').name !== bucket.model) continue;
      perMinute += amount(type, { input: drain.inputTokensPerMinute ?? 0, output: drain.outputTokensPerMinute ?? 0 }, drain.requestsPerMinute ?? 0);
    }
    return perMinute;
  }
}

/** How much of a budget of `type` a request (or a minute of drain) takes. */
function amount(type: RateLimitType, cost: RateLimitCost, requests = 1): number {
  switch (type) {
    case 'requests':
      return requests;
    case 'tokens':
      return cost.input + cost.output;
    case 'input_tokens':
      return cost.input;
    case 'output_tokens':
      return cost.output;
  }
}

/** Milliseconds the budget takes to regain `amount`. */
function msToRefill(budget: Budget, amount: number): number {
  return (amount * MS_PER_MINUTE) / budget.limit;
}

function stateOf(bucket: Bucket): LimitState[] {
  return bucket.budgets.map((budget) => ({
    type: budget.type,
    limit: budget.limit,
    remaining: Math.floor(budget.level),
    resetMs: Math.ceil(msToRefill(budget, budget.limit - budget.level)),
  }));
}

function limitKey(provider: RateLimitedProvider, model: string | undefined): string {
  return `${provider}\u0000${model ?? ''}`;
}

/**
 * Anthropic's `tokens` headers: the input or output limit with fewer tokens left
 * (its documentation: the most restrictive limit in effect). Undefined without both.
 */
export function combinedTokens(state: readonly LimitState[]): LimitState | undefined {
  const input = state.find((limit) => limit.type === 'input_tokens');
  const output = state.find((limit) => limit.type === 'output_tokens');
  if (!input || !output) return input ?? output;
  return { ...(output.remaining < input.remaining ? output : input), type: 'tokens' };
}

/** The state an injected `rate_limit` fault reports: its request budget spent until `retry-after`. */
export function requestsSpent(state: readonly LimitState[], retryAfterSeconds: number): LimitState[] {
  return state.map((limit) => (limit.type === 'requests' ? { ...limit, remaining: 0, resetMs: Math.round(retryAfterSeconds * 1000) } : limit));
}

/**
 * A duration as OpenAI writes `x-ratelimit-reset-*` (Go's duration format): `20ms`,
 * `1s`, `1.5s`, `6m0s`, `1h2m3.5s`; under a second in whole milliseconds.
 */
export function formatOpenAiDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total < 1000) return total === 0 ? '0s' : `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = `${(total % 60_000) / 1000}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** A reset as Anthropic writes `anthropic-ratelimit-*-reset`: RFC 3339 in UTC, rounded up to the second. */
export function formatAnthropicReset(nowMs: number, resetMs: number): string {
  return new Date(Math.ceil((nowMs + resetMs) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The cost of a request from its usage fields (an `x-fake-usage` override may have set them to null). */
export function tokenCost(input: unknown, output: unknown): RateLimitCost {
  return { input: typeof input === 'number' ? input : 0, output: typeof output === 'number' ? output : 0 };
}
