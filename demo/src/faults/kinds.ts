/** Every fault the demo can inject. README.md lists the alert each should fire. */
export const FAULT_KINDS = [
  'provider_outage',
  'latency_spike',
  'rate_limit_storm',
  'rate_limit_drain',
  'model_substitution',
  'http_errors',
  'cache_outage',
  'slow_db',
  'memory_leak',
  'cpu_burn',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a fault hits. Which fields apply depends on the kind (provider faults: provider/model; http_errors: route). */
export interface FaultTarget {
  provider?: string;
  model?: string;
  route?: string;
}

/** Tuning knobs; each kind reads its own, with defaults from {@link FAULT_DEFAULTS}. */
export interface FaultParams {
  /** provider faults and http_errors: share of matching requests hit. */
  probability?: number;
  /** latency_spike: milliseconds added before the provider's first byte. */
  latencyMs?: number;
  /** slow_db: milliseconds added to every query. */
  delayMs?: number;
  /** memory_leak: megabytes retained per second. */
  mbPerSecond?: number;
  /** memory_leak: the most megabytes retained. */
  maxMb?: number;
  /** cpu_burn: share of one core kept busy, in percent. */
  cpuPercent?: number;
  /** rate_limit_drain: input tokens a minute taken from the provider's rate-limit budget, as other services sharing the key would. */
  tokensPerMinute?: number;
}

/** A fault as asked for by the admin API or the CLI. */
export interface FaultRequest extends FaultParams {
  kind: FaultKind;
  target?: FaultTarget | string;
  /** Seconds until the fault heals itself. */
  durationSeconds?: number;
}

/** A validated fault with every default filled in. */
export interface FaultSpec {
  kind: FaultKind;
  target: FaultTarget;
  durationSeconds: number;
  /** Only the knobs this kind uses, defaults filled in. */
  params: FaultParams;
}

export const DEFAULT_DURATION_SECONDS = 60;
export const MAX_DURATION_SECONDS = 3600;

/** Defaults chosen so each fault clearly crosses its alert's threshold. */
export const FAULT_DEFAULTS = {
  probability: 1,
  latencyMs: 4000,
  delayMs: 250,
  mbPerSecond: 16,
  maxMb: 512,
  cpuPercent: 80,
  // Half again the fake's default 10 M tokens a minute of gpt-4o-mini: its budget empties in about two minutes.
  tokensPerMinute: 15_000_000,
} as const;

/** Bounds of the knobs: a fault must stress the demo, never take the machine down. */
export const PARAM_BOUNDS: Record<keyof FaultParams, readonly [number, number]> = {
  probability: [0, 1],
  latencyMs: [1, 120_000],
  delayMs: [1, 30_000],
  mbPerSecond: [1, 256],
  maxMb: [1, 4096],
  cpuPercent: [1, 100],
  tokensPerMinute: [1, 1_000_000_000],
};

/** Kinds aimed at the model providers: they take a provider or model target. */
export const PROVIDER_FAULT_KINDS: readonly FaultKind[] = ['provider_outage', 'latency_spike', 'rate_limit_storm', 'rate_limit_drain', 'model_substitution'];

/** The knobs each kind reads. */
export const KIND_PARAMS: Record<FaultKind, readonly (keyof FaultParams)[]> = {
  provider_outage: ['probability'],
  latency_spike: ['latencyMs', 'probability'],
  rate_limit_storm: ['probability'],
  rate_limit_drain: ['tokensPerMinute'],
  model_substitution: ['probability'],
  http_errors: ['probability'],
  cache_outage: [],
  slow_db: ['delayMs'],
  memory_leak: ['mbPerSecond', 'maxMb'],
  cpu_burn: ['cpuPercent'],
};
