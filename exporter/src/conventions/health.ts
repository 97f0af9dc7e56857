/**
 * The health score: one definition read by the recording rules, the dashboards
 * and the plugin. Each component's SLI maps linearly to 0–100 between its zero
 * point and its target, clamped; components with no traffic are left out and
 * the remaining weights renormalised.
 */

/** Window over which every component SLI is computed. */
export const HEALTH_WINDOW = '5m';

/** HTTP requests at or under this many seconds count as fast (a bucket bound of HTTP_DURATION_BUCKETS). */
export const HTTP_LATENCY_THRESHOLD_SECONDS = 0.5;
/** AI calls at or under this many seconds count as fast (a bucket bound of GEN_AI_DURATION_BUCKETS). */
export const AI_LATENCY_THRESHOLD_SECONDS = 2.56;

/** Event-loop lag p99 at which the saturation SLI reaches 1 (fully saturated). */
export const EVENT_LOOP_LAG_LIMIT_SECONDS = 0.5;
/** CPU seconds per second at which the saturation SLI reaches 1 (one core). */
export const CPU_LIMIT_CORES = 1;

export interface HealthComponent {
  readonly id: HealthComponentId;
  readonly title: string;
  readonly sli: string;
  /** SLI value that scores 100. */
  readonly target: number;
  /** SLI value that scores 0. For saturation (lower is better) zero > target. */
  readonly zero: number;
  readonly weight: number;
}

export type HealthComponentId = 'availability' | 'latency' | 'ai_success' | 'ai_latency' | 'cache' | 'saturation';

export const HEALTH_COMPONENTS: readonly HealthComponent[] = [
  { id: 'availability', title: 'Availability', sli: '1 − share of HTTP requests answered 5xx', target: 0.999, zero: 0.95, weight: 0.3 },
  { id: 'latency', title: 'Latency', sli: `share of HTTP requests ≤ ${HTTP_LATENCY_THRESHOLD_SECONDS} s`, target: 0.95, zero: 0.5, weight: 0.2 },
  { id: 'ai_success', title: 'AI success', sli: '1 − error share of AI calls', target: 0.99, zero: 0.8, weight: 0.2 },
  { id: 'ai_latency', title: 'AI latency', sli: `share of AI calls ≤ ${AI_LATENCY_THRESHOLD_SECONDS} s`, target: 0.95, zero: 0.5, weight: 0.1 },
  { id: 'cache', title: 'Cache', sli: 'cache hit ratio', target: 0.85, zero: 0.2, weight: 0.1 },
  {
    id: 'saturation',
    title: 'Saturation',
    sli: 'worst of CPU, memory-to-limit and event-loop lag p99 against their limits',
    target: 0.8,
    zero: 1.0,
    weight: 0.1,
  },
];

/** Score bands: healthy at or above `healthy`, degraded at or above `degraded`, else critical. */
export const HEALTH_BANDS = { healthy: 90, degraded: 70 } as const;
export type HealthBand = 'healthy' | 'degraded' | 'critical';

/** Recording rules that publish the score. */
export const HEALTH_RECORDING_RULE = {
  score: 'modelwatch:health_score',
  componentScore: 'modelwatch:health_component:score',
  componentLabel: 'component',
} as const;

/** Score of one component from its SLI: linear between zero point and target, clamped to 0–100. */
export function componentScore(component: Pick<HealthComponent, 'target' | 'zero'>, sli: number): number {
  const raw = ((sli - component.zero) / (component.target - component.zero)) * 100;
  return Math.min(100, Math.max(0, raw));
}

/**
 * Weighted score of the components that had traffic (the rest are left out and
 * the weights renormalised). Undefined when no component had traffic.
 */
export function healthScore(scores: Partial<Record<HealthComponentId, number>>): number | undefined {
  let weighted = 0;
  let weights = 0;
  for (const component of HEALTH_COMPONENTS) {
    const score = scores[component.id];
    if (score === undefined || !Number.isFinite(score)) continue;
    weighted += score * component.weight;
    weights += component.weight;
  }
  return weights === 0 ? undefined : weighted / weights;
}

/** Band of a score; any component at 0 makes it critical whatever the weighted score. */
export function healthBand(score: number, componentScores: readonly number[] = []): HealthBand {
  if (componentScores.some((s) => s <= 0)) return 'critical';
  if (score >= HEALTH_BANDS.healthy) return 'healthy';
  if (score >= HEALTH_BANDS.degraded) return 'degraded';
  return 'critical';
}
