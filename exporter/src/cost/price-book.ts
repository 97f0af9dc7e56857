import type { ModelInfo, PriceCalculationResult, PriceOptions, Usage } from '@pydantic/genai-prices';
import type { NormalizedUsage } from '../ai/call-types';
import { anyOf, arrayOf, boolean, type Shape } from '../options/schema';
import { GENAI_PRICES_PROVIDER } from '../providers';
import { genaiPrices } from './genai-prices';
import { mayHaveBundledPrice } from './model-filter';

export interface PriceOverride {
  /** gen_ai_provider_name as recorded (e.g. 'openai'); omit to match any provider. */
  provider?: string;
  /** Exact request model name. */
  model: string;
  /** USD per 1M uncached input tokens. */
  inputPerMTok: number;
  /** USD per 1M output tokens, reasoning included. */
  outputPerMTok: number;
  /** USD per 1M input tokens read from the prompt cache; default: inputPerMTok. */
  cacheReadPerMTok?: number;
  /** USD per 1M input tokens written to the prompt cache; default: inputPerMTok. */
  cacheWritePerMTok?: number;
}

export interface PriceBookOptions {
  /** Prices that win over the bundled table, e.g. negotiated rates or private models. */
  overrides?: readonly PriceOverride[];
  /** Price models from the table bundled with `@pydantic/genai-prices` (never fetched at run time). Default true. */
  bundledPrices?: boolean;
}

/** Each override is checked field by field by the PriceBook itself, with messages naming the model. */
export const PRICE_BOOK_OPTIONS: Shape<PriceBookOptions> = { overrides: arrayOf(anyOf('a price override')), bundledPrices: boolean };

/**
 * (provider, model) resolutions kept, misses included (but not the names the bundled table certainly
 * lacks, which are answered as fast without). Past it, lookups are answered without being cached.
 */
export const PRICE_CACHE_LIMIT = 10_000;

/**
 * How to price one (provider, model): a per-call constant plus per-token rates,
 * valid while input tokens stay under `linearBelow` (the first price tier) and
 * until `validUntil` (the next dated price change). Beyond the tier, or for prices
 * that depend on the time of day (`linearBelow` 0), calcPrice runs per call.
 */
export interface ModelPrice {
  readonly perCall: number;
  readonly uncachedInput: number;
  readonly cacheRead: number;
  readonly cacheWrite: number;
  /** Output tokens that are not reasoning tokens. */
  readonly output: number;
  readonly reasoning: number;
  readonly linearBelow: number;
  /** Epoch milliseconds after which the resolution is redone; Infinity when prices carry no future date. */
  readonly validUntil: number;
  /** calcPrice options naming the genai-prices provider the model resolved under, for calls that go to it. */
  readonly calcOptions: PriceOptions | undefined;
}

const ANY_PROVIDER = Symbol('any provider');

/**
 * No price, known without calcPrice (no override, and the bundled table certainly lacks the name):
 * not cached, as finding it again costs no more than a cache lookup, so a flood of new names leaves
 * the cache to the names that needed calcPrice.
 */
const ABSENT = Symbol('absent');

/**
 * Tokens per probe: large, so the per-call constant subtracted from the probe
 * leaves the per-token rate exact, and never past a price tier.
 */
const MAX_PROBE_TOKENS = 1_000_000;

/** USD cost of AI calls from the bundled genai-prices table and configured overrides. */
export class PriceBook {
  private readonly overrides = new Map<string, Map<string | typeof ANY_PROVIDER, ModelPrice>>();
  private readonly bundledPrices: boolean;
  // provider → model → resolution (null: no known price), nested so the hot path builds no key strings.
  private readonly resolutions = new Map<string, Map<string, ModelPrice | null>>();
  private resolutionCount = 0;

  constructor(options: PriceBookOptions = {}) {
    this.bundledPrices = options.bundledPrices ?? true;
    const overrides = options.overrides ?? [];
    if (!Array.isArray(overrides)) throw new Error('PriceBook: overrides must be an array');
    overrides.forEach((override, index) => this.addOverride(override, index));
  }

  /** Resolutions cached so far (at most PRICE_CACHE_LIMIT). */
  get cacheSize(): number {
    return this.resolutionCount;
  }

  /** USD cost of one call, or undefined when the model has no known price (never a silent 0). */
  costOf(provider: string, model: string, usage: NormalizedUsage): number | undefined {
    const price = this.priceOf(provider, model);
    return price === null ? undefined : this.costWith(price, model, usage);
  }

  /**
   * The price of a model, null when it has none. Callers that keep it (the AI recorder keeps it per
   * series, so a call does no price lookup at all) ask again once `isCurrent` says it expired.
   */
  priceOf(provider: string, model: string): ModelPrice | null {
    return this.resolution(provider, model);
  }

  /** USD cost of one call at `price` (from priceOf for this model); undefined for unreadable usage. */
  costWith(price: ModelPrice, model: string, usage: NormalizedUsage): number | undefined {
    const { input, output, cacheRead, cacheCreation, reasoning } = usage;
    const uncachedInput = input - cacheRead - cacheCreation;
    const plainOutput = output - reasoning;
    // Negated so NaN fails too; an infinite count makes a part negative, NaN or fails the last two checks.
    if (!(uncachedInput >= 0 && cacheRead >= 0 && cacheCreation >= 0 && plainOutput >= 0 && reasoning >= 0 && input < Infinity && output < Infinity)) {
      return undefined;
    }
    if (input < price.linearBelow) {
      return (
        price.perCall +
        uncachedInput * price.uncachedInput +
        cacheRead * price.cacheRead +
        cacheCreation * price.cacheWrite +
        plainOutput * price.output +
        reasoning * price.reasoning
      );
    }
    return totalPrice(toGenaiUsage(usage), model, price.calcOptions);
  }

  /** Whether calls to this model can be priced (overrides, then the bundled table). */
  hasPrice(provider: string, model: string): boolean {
    return this.resolution(provider, model) !== null;
  }

  private resolution(provider: string, model: string): ModelPrice | null {
    const models = this.resolutions.get(provider);
    const cached = models?.get(model);
    if (cached === null) return null;
    // Date.now() only for the few models with a dated price change still ahead.
    if (cached !== undefined && (cached.validUntil === Infinity || Date.now() < cached.validUntil)) return cached;
    const found = this.resolve(provider, model);
    const resolved = found === ABSENT ? null : found;
    if (models && cached !== undefined) {
      models.set(model, resolved); // an expired entry: replaced in place, the count is unchanged
    } else if (found !== ABSENT && this.resolutionCount < PRICE_CACHE_LIMIT) {
      this.resolutionCount++;
      if (models) models.set(model, resolved);
      else this.resolutions.set(provider, new Map([[model, resolved]]));
    }
    return resolved;
  }

  private resolve(provider: string, model: string): ModelPrice | null | typeof ABSENT {
    const overrides = this.overrides.get(model);
    const override = overrides?.get(provider) ?? overrides?.get(ANY_PROVIDER);
    if (override) return override;
    return this.bundledPrices ? resolveBundled(provider, model) : ABSENT;
  }

  private addOverride(override: PriceOverride, index: number): void {
    const where = `PriceBook: overrides[${index}]`;
    if (typeof override !== 'object' || override === null) throw new Error(`${where} must be an object, got ${show(override)}`);
    const { model, provider } = override;
    if (typeof model !== 'string' || model === '') throw new Error(`${where}.model must be a non-empty string, got ${show(model)}`);
    const entry = `${where} (model ${show(model)})`;
    if (provider !== undefined && (typeof provider !== 'string' || provider === '')) {
      throw new Error(`${entry}.provider must be a non-empty string or omitted, got ${show(provider)}`);
    }
    const price = (field: 'inputPerMTok' | 'outputPerMTok' | 'cacheReadPerMTok' | 'cacheWritePerMTok', fallback?: number): number => {
      const value = override[field] ?? fallback;
      if (typeof value !== 'number' || !(value >= 0 && value < Infinity)) {
        throw new Error(`${entry}.${field} must be a finite number >= 0 (USD per million tokens), got ${show(value)}`);
      }
      return value / 1_000_000;
    };
    const input = price('inputPerMTok');
    const output = price('outputPerMTok');
    const resolution: ModelPrice = {
      perCall: 0,
      uncachedInput: input,
      cacheRead: price('cacheReadPerMTok', override.inputPerMTok),
      cacheWrite: price('cacheWritePerMTok', override.inputPerMTok),
      output,
      reasoning: output,
      linearBelow: Infinity,
      validUntil: Infinity,
      calcOptions: undefined,
    };
    let byProvider = this.overrides.get(model);
    if (!byProvider) this.overrides.set(model, (byProvider = new Map()));
    const key = provider ?? ANY_PROVIDER;
    if (byProvider.has(key)) throw new Error(`${entry} repeats an earlier override for ${provider === undefined ? 'any provider' : `provider ${show(provider)}`}`);
    byProvider.set(key, resolution);
  }
}

/** Whether a kept price still holds: Date.now() only for the few models with a dated price change ahead. */
export function isCurrent(price: ModelPrice): boolean {
  return price.validUntil === Infinity || Date.now() < price.validUntil;
}

/**
 * Resolves a model in the bundled table. Flat and tiered prices become per-token
 * rates probed from calcPrice itself, so genai-prices stays the single source of
 * truth; prices that depend on the time of day keep calling it.
 */
function resolveBundled(provider: string, model: string): ModelPrice | null | typeof ABSENT {
  let found: PriceCalculationResult;
  // One instant for every probe, so all rates come from the same dated price.
  let timestamp: Date;
  try {
    const options = genaiPricesOptions(provider);
    // Names the table certainly lacks (a flood of new ones, say) are answered without calcPrice's scan.
    if (!mayHaveBundledPrice(model, options?.providerId)) return ABSENT;
    timestamp = new Date();
    found = genaiPrices().calcPrice({ input_tokens: 0, output_tokens: 0 }, model, { ...options, timestamp });
  } catch {
    return null;
  }
  if (!found) return null;
  const calcOptions = { providerId: found.provider.id };
  const alwaysCalculate: ModelPrice = {
    perCall: 0,
    uncachedInput: 0,
    cacheRead: 0,
    cacheWrite: 0,
    output: 0,
    reasoning: 0,
    linearBelow: 0,
    validUntil: Infinity,
    calcOptions,
  };
  const validUntil = nextPriceChange(found.model.prices, timestamp.getTime());
  if (validUntil === undefined) return alwaysCalculate;
  const tierStart = firstTierStart(found.model_price);
  const n = Math.min(MAX_PROBE_TOKENS, tierStart);
  if (!(n >= 1)) return alwaysCalculate;
  const perCall = found.total_price;
  const options = { ...calcOptions, timestamp };
  const rate = (usage: Usage): number => ((totalPrice(usage, model, options) ?? NaN) - perCall) / n;
  const resolution: ModelPrice = {
    perCall,
    uncachedInput: rate({ input_tokens: n }),
    cacheRead: rate({ input_tokens: n, cache_read_tokens: n }),
    cacheWrite: rate({ input_tokens: n, cache_write_tokens: n }),
    output: rate({ input_tokens: 0, output_tokens: n }),
    reasoning: rate({ input_tokens: 0, output_tokens: n, output_reasoning_tokens: n }),
    // calcPrice switches tier once input exceeds the start; stopping before it keeps the rule theirs.
    linearBelow: tierStart,
    validUntil,
    calcOptions,
  };
  const rates = [resolution.perCall, resolution.uncachedInput, resolution.cacheRead, resolution.cacheWrite, resolution.output, resolution.reasoning];
  return rates.every((r) => r >= 0 && r < Infinity) ? resolution : alwaysCalculate;
}

/**
 * When the model's price next changes after `now`: Infinity for a plain price or
 * dated prices all in the past; undefined when a price depends on the time of day.
 */
function nextPriceChange(prices: ModelInfo['prices'], now: number): number | undefined {
  if (!Array.isArray(prices)) return Infinity;
  let next = Infinity;
  for (const { constraint } of prices) {
    if (constraint === undefined) continue;
    if (constraint.type !== 'start_date') return undefined;
    // Parsed as genai-prices parses it when choosing the price.
    const start = new Date(constraint.start_date).getTime();
    if (start > now) next = Math.min(next, start);
  }
  return next;
}

/** Provider names whose calcPrice options are kept (a handful in practice); past it, they are worked out per lookup. */
const PROVIDER_OPTIONS_LIMIT = 1_000;
const providerOptions = new Map<string, Readonly<PriceOptions> | undefined>();

/** Known OTel names map to their genai-prices id; other names are used when they are a genai-prices id, else the model name alone decides. */
function genaiPricesOptions(provider: string): Readonly<PriceOptions> | undefined {
  const kept = providerOptions.get(provider);
  if (kept !== undefined || providerOptions.has(provider)) return kept;
  const options = findGenaiPricesOptions(provider);
  if (providerOptions.size < PROVIDER_OPTIONS_LIMIT) providerOptions.set(provider, options);
  return options;
}

function findGenaiPricesOptions(provider: string): Readonly<PriceOptions> | undefined {
  const mapped = GENAI_PRICES_PROVIDER.get(provider);
  if (mapped !== undefined) return Object.freeze({ providerId: mapped });
  try {
    // findProvider also matches loosely (any name containing "openai"); only an exact id is trusted.
    if (typeof provider === 'string' && genaiPrices().findProvider({ providerId: provider })?.id === provider) return Object.freeze({ providerId: provider });
  } catch {
    // Fall through to matching by model name.
  }
  return undefined;
}

/** Smallest input-token count at which any of the model's prices changes tier; Infinity when none is tiered. */
function firstTierStart(prices: Record<string, unknown>): number {
  let first = Infinity;
  for (const price of Object.values(prices)) {
    if (typeof price !== 'object' || price === null || !('tiers' in price) || !Array.isArray(price.tiers)) continue;
    for (const tier of price.tiers as unknown[]) {
      const start = (tier as { start?: unknown } | null)?.start;
      first = typeof start === 'number' ? Math.min(first, start) : -Infinity;
    }
  }
  return first;
}

function toGenaiUsage(usage: NormalizedUsage): Usage {
  // genai-prices takes input inclusive of cache reads and writes, like NormalizedUsage.
  return {
    input_tokens: usage.input,
    cache_read_tokens: usage.cacheRead,
    cache_write_tokens: usage.cacheCreation,
    output_tokens: usage.output,
    output_reasoning_tokens: usage.reasoning,
  };
}

/** calcPrice's total, or undefined when the model is unknown or calcPrice throws (bad data is unpriced, never a crash). */
function totalPrice(usage: Usage, model: string, options: PriceOptions | undefined): number | undefined {
  try {
    return genaiPrices().calcPrice(usage, model, options)?.total_price;
  } catch {
    return undefined;
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
