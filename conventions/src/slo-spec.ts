/**
 * An SLO spec as the generator uses it, after parsing and validation (the
 * YAML form with `99.9%` and `10s` is read by the alerting package), and
 * Modelwatch's defaults: what every service gets where its spec says nothing.
 */
import { DEFAULT_MONTHLY_BUDGET_USD } from './grafana';
import { GEN_AI_OPERATION } from './labels';
import { DEFAULT_SATURATION_LIMITS, type SaturationLimits } from './queries';
import type { ModelMatch, RouteMatch } from './slo';

/** A latency promise: `target` of events within `thresholdSeconds` (a bucket bound of the metric). */
export interface LatencySpec {
  readonly thresholdSeconds: number;
  readonly target: number;
}

/** Objectives of some routes that override a service-wide one; earlier overrides claim a route first. */
export interface RouteOverrideSpec {
  readonly name?: string;
  readonly routes: readonly RouteMatch[];
  readonly target: number;
  /** Latency overrides only. */
  readonly thresholdSeconds?: number;
  readonly page?: boolean;
}

export interface AvailabilitySpec {
  readonly target: number;
  readonly page: boolean;
  readonly routes: readonly RouteOverrideSpec[];
}

export interface HttpLatencySpec extends LatencySpec {
  readonly page: boolean;
  readonly routes: readonly RouteOverrideSpec[];
}

/** Objectives of the AI calls of some providers/models; a model belongs to the first entry that matches it. */
export interface AiSpec {
  readonly name?: string;
  readonly match: ModelMatch;
  readonly page: boolean;
  /** Share of calls that must not fail. */
  readonly success?: number;
  /** Streamed calls: time to first chunk. */
  readonly timeToFirstChunk?: LatencySpec;
  /** Generating calls: seconds per output token. */
  readonly timePerOutputToken?: LatencySpec;
  /** Calls without output tokens (embeddings): duration. */
  readonly duration?: LatencySpec;
}

/** Objectives of the caches matching `name` (a glob); a cache belongs to the first entry that matches it. */
export interface CacheSpec {
  readonly name: string;
  /** The hit ratio its owner expects; without one, a cache is compared with its own last day. */
  readonly expectedHitRatio?: number;
  /** Share of lookups that must not fail. */
  readonly success?: number;
  readonly page: boolean;
}

/**
 * Monthly AI budgets of a service's tenants and features (USD, by the `tenant`
 * and `feature` label values the app attributes), and the shares of a budget
 * at which its projected spend warns before it reaches 100 %.
 */
export interface AttributedBudgetsSpec {
  /** Increasing shares under 1; 100 % always alerts. */
  readonly warnAt: readonly number[];
  /** USD a month by tenant. */
  readonly tenant: Readonly<Record<string, number>>;
  /** USD a month by feature. */
  readonly feature: Readonly<Record<string, number>>;
}

/** What an attributed budget belongs to: a tenant or a feature (the label of the same name). */
export type AttributedBudgetOwner = 'tenant' | 'feature';
export const ATTRIBUTED_BUDGET_OWNERS: readonly AttributedBudgetOwner[] = ['tenant', 'feature'];

export interface ServiceSloSpec {
  readonly availability: AvailabilitySpec;
  readonly httpLatency: HttpLatencySpec;
  readonly ai: readonly AiSpec[];
  readonly caches: readonly CacheSpec[];
  readonly saturation: SaturationLimits;
  readonly monthlyBudgetUsd: number;
  readonly budgets: AttributedBudgetsSpec;
}

export interface SloSpec {
  /** Services (Prometheus `job`s) with a spec of their own. */
  readonly services: Readonly<Record<string, ServiceSloSpec>>;
  /** What every other service gets. */
  readonly defaults: ServiceSloSpec;
}

/**
 * Modelwatch's defaults, for services that call AI models. HTTP latency is
 * judged loosely (a route that waits for a model takes seconds, and a tight
 * objective belongs to a route the owner names); AI calls are judged by what
 * does not grow with the answer's length: time to first chunk, time per output
 * token, and the duration of calls without output. Only what users feel
 * (availability and latency) pages; dependencies and caches open tickets.
 */
export const DEFAULT_SERVICE_SLOS: ServiceSloSpec = {
  availability: { target: 0.999, page: true, routes: [] },
  httpLatency: { thresholdSeconds: 10, target: 0.95, page: true, routes: [] },
  ai: [
    { name: 'embeddings', match: { provider: '*', model: '*', operation: GEN_AI_OPERATION.embeddings }, page: false, success: 0.99, duration: { thresholdSeconds: 1.28, target: 0.99 } },
    {
      match: { provider: '*', model: '*' },
      page: false,
      success: 0.99,
      timeToFirstChunk: { thresholdSeconds: 5.12, target: 0.99 },
      timePerOutputToken: { thresholdSeconds: 0.1, target: 0.99 },
    },
  ],
  caches: [{ name: '*', success: 0.99, page: false }],
  saturation: DEFAULT_SATURATION_LIMITS,
  monthlyBudgetUsd: DEFAULT_MONTHLY_BUDGET_USD,
  // Early warnings at 80 % and 95 % of a budget, as finance teams ask for; no tenant or feature has a budget until the spec gives one.
  budgets: { warnAt: [0.8, 0.95], tenant: {}, feature: {} },
};

export const DEFAULT_SLO_SPEC: SloSpec = { services: {}, defaults: DEFAULT_SERVICE_SLOS };
