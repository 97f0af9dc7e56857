/**
 * Rate-limit headroom from the providers' response headers: what is left of each
 * rate limit, the limit, and when it is full again, as gauges per (provider,
 * requested model, limit type). Each response overwrites what it states; nothing
 * decays between responses (a gauge shows the last response's word).
 */
import { GEN_AI_PROVIDER, INSTRUMENTATION_ERROR_REASON, RATE_LIMIT_TYPE, type RateLimitType } from '@modelwatch/conventions';
import type { Instruments } from '../instruments';
import type { Modelwatch } from '../modelwatch';

/** Response headers: fetch's `Headers` (what the SDKs hand out), or a plain object of lower-case names (`node:http`, axios). */
export type RateLimitHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Which calls the headers came from: the `gen_ai_provider_name` and `gen_ai_request_model` of the gauges. */
export interface RateLimitSource {
  provider: string;
  /** The model asked for (not the one that answered: the limit is the requested model's). */
  model: string;
}

interface LimitHeaderNames {
  readonly type: RateLimitType;
  readonly limit: string;
  readonly remaining: string;
  readonly reset: string;
}

/** One provider's header names, and how it writes the reset (to unix seconds; NaN when unreadable). */
interface HeaderFamily {
  readonly limits: readonly LimitHeaderNames[];
  readonly resetAt: (value: string, nowMs: number) => number;
}

/** OpenAI and the APIs that copy it (Azure OpenAI, Groq, LiteLLM…): `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as durations. */
const OPENAI_HEADERS: HeaderFamily = {
  limits: [RATE_LIMIT_TYPE.requests, RATE_LIMIT_TYPE.tokens].map((type) => ({
    type,
    limit: `x-ratelimit-limit-${type}`,
    remaining: `x-ratelimit-remaining-${type}`,
    reset: `x-ratelimit-reset-${type}`,
  })),
  resetAt: (value, nowMs) => (nowMs + parseDurationMs(value)) / 1000,
};

/** Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`, resets as RFC 3339 times. */
const ANTHROPIC_HEADERS: HeaderFamily = {
  limits: [RATE_LIMIT_TYPE.requests, RATE_LIMIT_TYPE.tokens, RATE_LIMIT_TYPE.inputTokens, RATE_LIMIT_TYPE.outputTokens].map((type) => {
    const prefix = `anthropic-ratelimit-${type.replace('_', '-')}`;
    return { type, limit: `${prefix}-limit`, remaining: `${prefix}-remaining`, reset: `${prefix}-reset` };
  }),
  resetAt: (value) => parseRfc3339Ms(value) / 1000,
};

/** Tried in this order (Anthropic's first for Anthropic calls); the first family with any header is the response's. */
const OPENAI_FIRST: readonly HeaderFamily[] = [OPENAI_HEADERS, ANTHROPIC_HEADERS];
const ANTHROPIC_FIRST: readonly HeaderFamily[] = [ANTHROPIC_HEADERS, OPENAI_HEADERS];

/**
 * Sets the rate-limit gauges from one response's headers. A header missing leaves its
 * gauge as it was; a header with a value that is not a count or a reset time is skipped,
 * and the response counts once in `modelwatch_instrumentation_errors_total{reason="invalid_rate_limit_header"}`.
 * Never throws. `nowMs` turns OpenAI's relative resets into absolute times.
 */
export function recordRateLimits(instruments: Instruments, source: RateLimitSource, headers: RateLimitHeaders, nowMs = Date.now()): void {
  let invalid = false;
  for (const family of source.provider === GEN_AI_PROVIDER.anthropic ? ANTHROPIC_FIRST : OPENAI_FIRST) {
    let found = false;
    for (const names of family.limits) {
      const remaining = header(headers, names.remaining);
      const limit = header(headers, names.limit);
      const reset = header(headers, names.reset);
      if (remaining === undefined && limit === undefined && reset === undefined) continue;
      found = true;
      const labels = [source.provider, source.model, names.type];
      invalid = !setGauge(instruments.aiRateLimitRemaining, labels, remaining === undefined ? undefined : parseCount(remaining)) || invalid;
      invalid = !setGauge(instruments.aiRateLimitLimit, labels, limit === undefined ? undefined : parseCount(limit)) || invalid;
      invalid = !setGauge(instruments.aiRateLimitReset, labels, reset === undefined ? undefined : family.resetAt(reset, nowMs)) || invalid;
    }
    if (found) break;
  }
  if (invalid) instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidRateLimitHeader);
}

/** A response's headers kept until the metrics are collected, with the clock when it arrived. */
interface KeptHeaders {
  readonly source: RateLimitSource;
  headers: RateLimitHeaders;
  nowMs: number;
}

/**
 * (provider, model) pairs whose headers are kept between two collections, past which they are all
 * read at once: bounds what is held however many models an app asks for.
 */
const MAX_KEPT = 64;

/**
 * The SDK integrations' rate-limit gauges, read from the last response of each (provider, model)
 * when the metrics are collected rather than at every response. A gauge shows the last response's
 * word, so the headers of the responses before it in a scrape interval are never needed; reading
 * them (six `Headers.get`, the parsing, six series lookups) was half of what `instrumentOpenAI`
 * added to a call with the network taken out (about 5 of 11 µs, measured). A response now costs
 * a reference to its headers (fetch's `Headers` of a `Response`: immutable).
 */
export class KeptRateLimitHeaders {
  private readonly kept = new Map<string, Map<string, KeptHeaders>>();
  private count = 0;

  constructor(private readonly instruments: Instruments) {}

  /** Keeps `headers` as `source`'s last response, replacing the one kept before. */
  keep(source: RateLimitSource, headers: RateLimitHeaders, nowMs = Date.now()): void {
    let byModel = this.kept.get(source.provider);
    if (byModel === undefined) this.kept.set(source.provider, (byModel = new Map()));
    const kept = byModel.get(source.model);
    if (kept !== undefined) {
      kept.headers = headers;
      kept.nowMs = nowMs;
      return;
    }
    byModel.set(source.model, { source, headers, nowMs });
    if (++this.count >= MAX_KEPT) this.read();
  }

  /** Sets the gauges from every kept response and lets the responses go. Never throws. */
  read(): void {
    if (this.count === 0) return;
    for (const byModel of this.kept.values()) {
      for (const { source, headers, nowMs } of byModel.values()) {
        try {
          recordRateLimits(this.instruments, source, headers, nowMs);
        } catch {
          this.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
        }
      }
    }
    this.kept.clear();
    this.count = 0;
  }
}

/**
 * For apps that call a provider without the SDK integrations (their own `fetch`, another
 * client): records the rate-limit headers of one response, as the integrations do for
 * theirs. `headers` is fetch's `Headers` or a plain object of lower-case header names.
 * Never throws: a failure inside counts in `modelwatch_instrumentation_errors_total`.
 */
export function recordRateLimitHeaders(mw: Modelwatch, source: RateLimitSource, headers: RateLimitHeaders): void {
  try {
    if (typeof headers !== 'object' || headers === null || typeof source?.provider !== 'string' || typeof source.model !== 'string') {
      mw.instruments.reportError(INSTRUMENTATION_ERROR_REASON.invalidRateLimitHeader);
      return;
    }
    recordRateLimits(mw.instruments, source, headers);
  } catch {
    mw.instruments.reportError(INSTRUMENTATION_ERROR_REASON.internal);
  }
}

type GaugeLike = Instruments['aiRateLimitRemaining'];

/** Sets the gauge to a header's value (undefined: no such header); false when the header did not read (NaN). */
function setGauge(gauge: GaugeLike, labels: readonly string[], value: number | undefined): boolean {
  if (value === undefined) return true;
  if (!Number.isFinite(value)) return false;
  gauge.set(gauge.series(labels), value);
  return true;
}

function header(headers: RateLimitHeaders, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const value = (headers as Readonly<Record<string, string | readonly string[] | undefined>>)[name];
  return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}

/** A non-negative decimal (`4999`, `1.5`); NaN otherwise (signs, exponents, hex, empty). */
export function parseCount(value: string): number {
  const text = value.trim();
  if (text.length === 0 || text.length > 24) return Number.NaN;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 46) dots++;
    else if (code < 48 || code > 57) return Number.NaN;
  }
  return dots > 1 || text === '.' ? Number.NaN : Number(text);
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ns: 1e-6 };

/**
 * A duration as OpenAI writes its resets, Go's format (`20ms`, `1s`, `1.5s`, `6m0s`,
 * `1h2m3.5s`), in milliseconds; a bare number is seconds (as some compatible APIs send).
 * NaN when unreadable.
 */
export function parseDurationMs(value: string): number {
  const text = value.trim();
  if (text.length === 0 || text.length > 40) return Number.NaN;
  const bare = parseCount(text);
  if (!Number.isNaN(bare)) return bare * 1000;
  let total = 0;
  let i = 0;
  while (i < text.length) {
    const start = i;
    while (i < text.length && ((text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) || text.charCodeAt(i) === 46)) i++;
    const amount = parseCount(text.slice(start, i));
    const unitStart = i;
    while (i < text.length && !((text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) || text.charCodeAt(i) === 46)) i++;
    const unit = UNIT_MS[text.slice(unitStart, i)];
    if (Number.isNaN(amount) || unit === undefined) return Number.NaN;
    total += amount * unit;
  }
  return total;
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 time (`2026-01-01T00:00:30Z`, with a fraction or an offset) in epoch milliseconds; NaN otherwise. */
export function parseRfc3339Ms(value: string): number {
  const text = value.trim();
  return RFC_3339.test(text) ? Date.parse(text.replace(' ', 'T')) : Number.NaN;
}
