/**
 * Service level objectives: what a spec can promise, the series the recording
 * rules publish for each objective, and the multi-window multi-burn-rate pairs
 * that page or open a ticket. The alerting generator turns a spec into
 * {@link Objective}s and these into rules; the dashboards and the app read the
 * recorded series by the names and labels below, so they need no spec.
 */

/** The kinds of objective, as the `slo_kind` label. */
export const SLO_KIND = {
  /** Share of HTTP requests not answered 5xx. */
  availability: 'availability',
  /** Share of HTTP requests answered within a threshold. */
  httpLatency: 'http_latency',
  /** Share of AI calls that did not fail, per provider and model. */
  aiSuccess: 'ai_success',
  /** Share of streamed AI calls whose first chunk came within a threshold, per provider and model. */
  aiTimeToFirstChunk: 'ai_time_to_first_chunk',
  /** Share of generating AI calls whose time per output token was within a threshold, per provider and model. */
  aiTimePerOutputToken: 'ai_time_per_output_token',
  /** Share of AI calls without output tokens (embeddings) answered within a threshold, per provider and model. */
  aiDuration: 'ai_duration',
  /** Share of cache lookups that did not fail, per cache. */
  cacheSuccess: 'cache_success',
} as const;
export type SloKind = (typeof SLO_KIND)[keyof typeof SLO_KIND];

/** Which jobs (services) an objective applies to: one job, or every job but some (Modelwatch's defaults). */
export type JobScope = { readonly job: string } | { readonly allBut: readonly string[] };

/** An HTTP route: its template (a glob, `*` matching anything), and the method when it matters. */
export interface RouteMatch {
  readonly method?: string;
  readonly route: string;
}

/** AI calls by provider and model (globs) and, when it matters, operation. */
export interface ModelMatch {
  readonly provider: string;
  readonly model: string;
  readonly operation?: string;
}

/**
 * What an objective covers. The earlier objectives of the same kind claim their
 * matches first: a default objective covers what no override claimed (`exclude`).
 */
export type ObjectiveScope =
  | { readonly over: 'http'; readonly include?: readonly RouteMatch[]; readonly exclude: readonly RouteMatch[] }
  | { readonly over: 'ai'; readonly include: ModelMatch; readonly exclude: readonly ModelMatch[] }
  | { readonly over: 'cache'; readonly include: string; readonly exclude: readonly string[] };

/** One objective of one service, as the rules implement it. */
export interface Objective {
  readonly jobs: JobScope;
  /** Unique within its service; the `slo` label. */
  readonly name: string;
  readonly kind: SloKind;
  /** Share of good events promised over the SLO period, 0–1 exclusive. */
  readonly target: number;
  /** Latency objectives: the good/bad threshold (a bucket bound of the metric). */
  readonly thresholdSeconds?: number;
  /** Whether burning the budget fast pages (user-facing symptoms) or only opens a ticket (dependencies, caches). */
  readonly page: boolean;
  readonly scope: ObjectiveScope;
  /** What it covers, in words: `POST /chat`, `every other route`, `openai/gpt-4o-mini chat`. */
  readonly scopeText: string;
}

/** The period error budgets are spent over. */
export const SLO_PERIOD = '30d';

/** Recorded series of the objectives. Every one carries the objective's labels ({@link SLO_LABEL}). */
export const SLO_RECORDING_RULE = {
  /** Share of bad events over the `window`. */
  errorRatio: 'modelwatch:slo_error:ratio',
  /** Error ratio divided by the error budget (1 − target): 1 spends the budget exactly over the SLO period. */
  burnRate: 'modelwatch:slo_burn_rate:ratio',
  /** Bad events over the `window`, at the long windows of the burn-rate pairs: the evidence a pair's burn rate rests on. */
  badEvents: 'modelwatch:slo_bad_events:increase',
  /** Share of the period's error budget left (1 = untouched, 0 = spent, below 0 = overspent). */
  budgetRemaining: 'modelwatch:slo_error_budget_remaining:ratio',
} as const;

/** Labels of every objective series: the objective itself, so a panel, an alert or the app needs no spec to explain it. */
export const SLO_LABEL = {
  name: 'slo',
  kind: 'slo_kind',
  /** The target as a ratio, e.g. `0.999`. */
  target: 'slo_target',
  /** Latency objectives' threshold in seconds, e.g. `10`; absent otherwise. */
  threshold: 'slo_threshold_seconds',
  scope: 'slo_scope',
  /** `page` or `ticket`. */
  alerting: 'slo_alerting',
  window: 'window',
} as const;

/** The labels every recorded series of `objective` carries. */
export function objectiveLabels(objective: Objective): Record<string, string> {
  return {
    [SLO_LABEL.name]: objective.name,
    [SLO_LABEL.kind]: objective.kind,
    [SLO_LABEL.target]: String(objective.target),
    ...(objective.thresholdSeconds === undefined ? {} : { [SLO_LABEL.threshold]: String(objective.thresholdSeconds) }),
    [SLO_LABEL.scope]: objective.scopeText,
    [SLO_LABEL.alerting]: objective.page ? 'page' : 'ticket',
  };
}

/**
 * Multi-window, multi-burn-rate alerting (Google SRE workbook, "Alerting on
 * SLOs"): a pair fires when the budget burns `factor` times too fast over both
 * its long window (it matters) and its short one (it is still going on).
 * 14.4× over 1h spends 2 % of a 30-day budget, 6× over 6h 5 %: those page; 3×
 * over 1d and 1× over 3d open a ticket. An objective that does not page turns
 * its page pairs into tickets too.
 */
export const BURN_RATE_PAIRS = [
  { urgency: 'page', long: '1h', short: '5m', factor: 14.4 },
  { urgency: 'page', long: '6h', short: '30m', factor: 6 },
  { urgency: 'ticket', long: '1d', short: '2h', factor: 3 },
  { urgency: 'ticket', long: '3d', short: '6h', factor: 1 },
] as const;
export type BurnRatePair = (typeof BURN_RATE_PAIRS)[number];

/** The long window of every pair: the windows the bad events are recorded at. */
export const BURN_RATE_LONG_WINDOWS = BURN_RATE_PAIRS.map((pair) => pair.long);

/**
 * A pair judges its burn rate only once its long window holds this many bad
 * events. With little traffic (a model called a few times an hour, a service
 * minutes old) one or two slow or failed events are chance, yet they make a
 * burn rate of 4 to 15: a healthy service then scored degraded, and one failed
 * request in an hour's 60 paged. Until the evidence is there, the pair is not
 * judged: it counts as burning nothing, so it neither fires nor lowers the
 * score; a model called once a minute that fails every call is judged from its
 * fifth failure. The Google SRE workbook names the problem ("Low-traffic
 * services and error budget alerting"); a count of bad events, rather than of
 * requests, keeps busy services' alerts exactly as the workbook's pairs have them.
 */
export const SLO_MIN_BAD_EVENTS = 5;

/** A pair's burn rate as the alerts and the score judge it: as measured with enough bad events in its long window, else 0. */
export function judgedBurnRate(burnRate: number, longWindowBadEvents: number): number {
  return longWindowBadEvents >= SLO_MIN_BAD_EVENTS ? burnRate : 0;
}

/** Every window the error ratios and burn rates are recorded at. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SliWindow = (typeof SLI_WINDOWS)[number];

/** `text` as a regex matching only itself. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** `*` matches anything; every other character stands for itself (a PromQL regex, anchored by PromQL). */
export function globToRegex(glob: string): string {
  return glob.split('*').map(escapeRegex).join('.*');
}

/** Whether `value` matches `glob` (the same rule as {@link globToRegex}). */
export function matchesGlob(glob: string, value: string): boolean {
  return new RegExp(`^${globToRegex(glob)}$`).test(value);
}
