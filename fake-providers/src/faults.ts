import { PROVIDER_NAMES, type ProviderName } from './models';
import type { Random } from './random';

/** Every kind of fault the fake can inject. */
export const FAULT_KINDS = ['rate_limit', 'server_error', 'overloaded', 'timeout', 'disconnect', 'latency', 'rate_limit_drain', 'model_substitution'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The faults a request can ask for with the `x-fake-fault` header (the error-like kinds). */
export const HEADER_FAULT_KINDS = ['rate_limit', 'server_error', 'overloaded', 'timeout', 'disconnect'] as const;
export type HeaderFaultKind = (typeof HEADER_FAULT_KINDS)[number];

/**
 * A fault to inject into matching requests.
 *
 * - `rate_limit`: 429 with `retry-after` (and OpenAI's `x-ratelimit-*` headers).
 * - `server_error`: 500.
 * - `overloaded`: Anthropic 529 `overloaded_error`; OpenAI 503.
 * - `timeout`: the request is accepted and never answered, until the client goes away
 *   or `maxHangMs` passes (then the connection is closed).
 * - `disconnect`: streams send a few events then the socket is destroyed; other
 *   requests have their socket destroyed before any answer.
 * - `latency`: `extraLatencyMs` more before the first byte; combines with the other kinds.
 * - `rate_limit_drain`: for as long as it lasts, consumes the matching models' rate-limit
 *   budgets at `requestsPerMinute`, `inputTokensPerMinute` and `outputTokensPerMinute`, like
 *   other services sharing the key (see the README on rate limits). No request is failed by
 *   it: once a budget is empty, requests that do not fit get the budget's own 429.
 * - `model_substitution`: matching requests are answered by `servedModel` (its snapshot in
 *   the response's `model`, its speed), as provider fallbacks and routers do; combines with the others.
 */
export interface Fault {
  /** What goes wrong. */
  kind: FaultKind;
  /**
   * Only requests to this provider.
   * @defaultValue `undefined` (both providers)
   */
  provider?: ProviderName;
  /**
   * Only requests for this model (the requested name or its snapshot name).
   * @defaultValue `undefined` (every model)
   */
  model?: string;
  /**
   * Share of matching requests the fault hits, drawn from the seeded generator.
   * @defaultValue `1`
   */
  probability?: number;
  /**
   * Seconds sent in `retry-after`. Sent with `rate_limit` always, with the other error kinds only when set.
   * @defaultValue `1` for `rate_limit`
   */
  retryAfterSeconds?: number;
  /**
   * `latency` only: milliseconds added before the first byte. Not scaled by `timeScale`.
   * @defaultValue `1000`
   */
  extraLatencyMs?: number;
  /**
   * The fault heals by itself this many milliseconds after injection (the timer is unref'd).
   * @defaultValue `undefined` (until cleared)
   */
  durationMs?: number;
  /** `rate_limit_drain` only: requests consumed per minute. @defaultValue `0` */
  requestsPerMinute?: number;
  /** `rate_limit_drain` only: input tokens consumed per minute (OpenAI: of its tokens limit). @defaultValue `0` */
  inputTokensPerMinute?: number;
  /** `rate_limit_drain` only: output tokens consumed per minute (OpenAI: of its tokens limit). @defaultValue `0` */
  outputTokensPerMinute?: number;
  /** `model_substitution` only (required): the model that answers instead of the one requested. */
  servedModel?: string;
}

/** An injected fault, to clear it early. */
export interface FaultHandle {
  /** The fault as injected (defaults filled in). */
  readonly fault: Readonly<Fault>;
  /** Whether the fault still applies (not cleared, not healed). */
  readonly active: boolean;
  /** Removes the fault; calling it again does nothing. */
  clear(): void;
}

/** Fault injection at runtime. */
export interface FaultController {
  /** Starts injecting `fault` into matching requests. Throws a TypeError naming any invalid field. */
  inject(fault: Fault): FaultHandle;
  /** Removes every injected fault. */
  clear(): void;
  /** The faults in force, oldest first. */
  readonly active: readonly Readonly<Fault>[];
}

/** What the faults decided for one request. */
export interface FaultDecision {
  /** The error-like fault to apply, if any. */
  kind?: HeaderFaultKind;
  /** The model that answers instead of the requested one, if a substitution applies. */
  servedModel?: string;
  /** Seconds for `retry-after`, when the fault sets one. */
  retryAfterSeconds?: number;
  /** Milliseconds to add before the first byte. */
  extraLatencyMs: number;
}

interface Entry {
  readonly fault: Readonly<Fault>;
  timer?: NodeJS.Timeout;
}

/** The registry behind `providers.faults`. */
export class FaultRegistry implements FaultController {
  readonly #entries = new Set<Entry>();

  /** `onDrainsChange` hears the `rate_limit_drain` faults in force each time they change (the budgets settle then). */
  constructor(private readonly onDrainsChange: (drains: readonly Readonly<Fault>[]) => void = () => {}) {}

  inject(input: Fault): FaultHandle {
    const fault = Object.freeze(normalizeFault(input));
    const entry: Entry = { fault };
    this.#entries.add(entry);
    if (fault.kind === 'rate_limit_drain') this.#drainsChanged();
    if (fault.durationMs !== undefined) {
      entry.timer = setTimeout(() => this.#remove(entry), fault.durationMs);
      entry.timer.unref();
    }
    const entries = this.#entries;
    return {
      fault,
      get active() {
        return entries.has(entry);
      },
      clear: () => this.#remove(entry),
    };
  }

  clear(): void {
    for (const entry of [...this.#entries]) this.#remove(entry);
  }

  get active(): readonly Readonly<Fault>[] {
    return [...this.#entries].map((entry) => entry.fault);
  }

  /** Which faults hit a request for `model` (and its `snapshot`) at `provider`. */
  decide(provider: ProviderName, model: string, snapshot: string, rng: Random): FaultDecision {
    const decision: FaultDecision = { extraLatencyMs: 0 };
    for (const { fault } of this.#entries) {
      if (fault.provider !== undefined && fault.provider !== provider) continue;
      if (fault.model !== undefined && fault.model !== model && fault.model !== snapshot) continue;
      if (fault.kind === 'rate_limit_drain') continue;
      if (fault.kind === 'model_substitution' ? decision.servedModel !== undefined : fault.kind !== 'latency' && decision.kind !== undefined) continue;
      const probability = fault.probability ?? 1;
      if (probability < 1 && rng.next() >= probability) continue;
      if (fault.kind === 'latency') {
        decision.extraLatencyMs += fault.extraLatencyMs ?? 0;
      } else if (fault.kind === 'model_substitution') {
        decision.servedModel = fault.servedModel;
      } else {
        decision.kind = fault.kind;
        if (fault.retryAfterSeconds !== undefined) decision.retryAfterSeconds = fault.retryAfterSeconds;
      }
    }
    return decision;
  }

  #remove(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    if (this.#entries.delete(entry) && entry.fault.kind === 'rate_limit_drain') this.#drainsChanged();
  }

  #drainsChanged(): void {
    this.onDrainsChange([...this.#entries].map((entry) => entry.fault).filter((fault) => fault.kind === 'rate_limit_drain'));
  }
}

function normalizeFault(input: Fault): Fault {
  if (typeof input !== 'object' || input === null) throw new TypeError(`Fault must be an object, got ${JSON.stringify(input)}`);
  const { kind, provider, model, probability, retryAfterSeconds, extraLatencyMs, durationMs, requestsPerMinute, inputTokensPerMinute, outputTokensPerMinute, servedModel } = input;
  if (!(FAULT_KINDS as readonly unknown[]).includes(kind)) {
    throw new TypeError(`Fault kind must be one of ${FAULT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  if (provider !== undefined && !(PROVIDER_NAMES as readonly unknown[]).includes(provider)) {
    throw new TypeError(`Fault provider must be one of ${PROVIDER_NAMES.join(', ')}, got ${JSON.stringify(provider)}`);
  }
  if (model !== undefined && (typeof model !== 'string' || model === '')) {
    throw new TypeError(`Fault model must be a non-empty string, got ${JSON.stringify(model)}`);
  }
  checkNumber('probability', probability, 0, 1);
  checkNumber('retryAfterSeconds', retryAfterSeconds, 0, Number.MAX_SAFE_INTEGER);
  checkNumber('extraLatencyMs', extraLatencyMs, 0, 2 ** 31 - 1);
  checkNumber('durationMs', durationMs, 0, 2 ** 31 - 1);
  for (const [field, value] of [['requestsPerMinute', requestsPerMinute], ['inputTokensPerMinute', inputTokensPerMinute], ['outputTokensPerMinute', outputTokensPerMinute]] as const) {
    checkNumber(field, value, 0, Number.MAX_SAFE_INTEGER);
    if (value !== undefined && kind !== 'rate_limit_drain') throw new TypeError(`Fault ${field} applies to rate_limit_drain only, not ${kind}`);
  }
  if (kind === 'model_substitution' ? !(typeof servedModel === 'string' && servedModel !== '') : servedModel !== undefined) {
    throw new TypeError(`Fault servedModel must be a non-empty string, for model_substitution only, got ${JSON.stringify(servedModel)} with ${kind}`);
  }
  const fault: Fault = { kind };
  if (provider !== undefined) fault.provider = provider;
  if (model !== undefined) fault.model = model;
  if (probability !== undefined) fault.probability = probability;
  if (retryAfterSeconds !== undefined) fault.retryAfterSeconds = retryAfterSeconds;
  else if (kind === 'rate_limit') fault.retryAfterSeconds = 1;
  if (kind === 'latency') fault.extraLatencyMs = extraLatencyMs ?? 1000;
  if (durationMs !== undefined) fault.durationMs = durationMs;
  if (kind === 'rate_limit_drain') Object.assign(fault, { requestsPerMinute: requestsPerMinute ?? 0, inputTokensPerMinute: inputTokensPerMinute ?? 0, outputTokensPerMinute: outputTokensPerMinute ?? 0 });
  if (servedModel !== undefined) fault.servedModel = servedModel;
  return fault;
}

function checkNumber(field: string, value: unknown, min: number, max: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`Fault ${field} must be a number in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
}
