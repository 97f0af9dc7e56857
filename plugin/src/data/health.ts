/**
 * The Overview's reading of the health score: the recorded score and band,
 * each component (an objective per model or cache, saturation, a cache's hit
 * ratio) with a sentence on why it scores what it does, worst first, and the
 * case of a failing dependency that users do not feel.
 */
import { HEALTH_BANDS, HEALTH_COMPONENT, HEALTH_RECORDING_RULE, LABEL, SLO_LABEL, healthBand, type HealthBand } from '@modelwatch/conventions';
import { lastValue, type Series } from './dsQuery';
import { formatPercent } from './format';
import { coverage, explainObjective, objectiveKey, subjectOf, type ObjectiveRow } from './slo';

export interface ComponentReading {
  key: string;
  /** The objective's name, or the component's (`saturation`, `cache_hit_ratio`). */
  name: string;
  score: number;
  band: HealthBand;
  explanation: string;
  /** The component series' labels: what selects it in a query. */
  labels: Record<string, string>;
}

export interface HealthReading {
  score: number;
  band: HealthBand;
  /** Every component with a score, worst first. */
  components: ComponentReading[];
  /** Set when objectives that only open tickets fail while every objective that pages is met: users are unaffected. */
  masked?: string;
}

export interface HealthSeries {
  /** `modelwatch:health_score` of the service. */
  score: readonly Series[];
  /** `modelwatch:health_component:score` of the service. */
  components: readonly Series[];
  /** The service's objectives (see readObjectives). */
  objectives: readonly ObjectiveRow[];
  /** `modelwatch:saturation:ratio` per resource. */
  saturation: readonly Series[];
  /** Recent hit ratio per cache (the cache component's window). */
  cacheHitRatios: readonly Series[];
}

/** The reading of one service's score; undefined when none is recorded. */
export function readHealth(series: HealthSeries): HealthReading | undefined {
  const score = lastValue(series.score[0]);
  if (score === undefined) return undefined;
  const objectives = new Map(series.objectives.map((o) => [o.key, o]));
  const components: ComponentReading[] = [];
  for (const s of series.components) {
    const value = lastValue(s);
    if (value === undefined) continue;
    const name = s.labels[HEALTH_RECORDING_RULE.componentLabel] ?? 'unnamed component';
    const objective = s.labels[SLO_LABEL.name] === undefined ? undefined : objectives.get(objectiveKey(s.labels));
    components.push({
      key: `${name}|${objectiveKey(s.labels)}`,
      name,
      score: value,
      band: healthBand(value),
      explanation: objective ? explainObjective(objective) : explainOther(name, s.labels, series),
      labels: s.labels,
    });
  }
  components.sort((a, b) => a.score - b.score || a.explanation.localeCompare(b.explanation));
  const masked = maskedFailure(series.objectives);
  return { score, band: healthBand(score), components, ...(masked ? { masked } : {}) };
}

/** Saturation and hit-ratio components: what drags them down. */
function explainOther(name: string, labels: Record<string, string>, series: HealthSeries): string {
  if (name === HEALTH_COMPONENT.saturation) {
    const worst = [...series.saturation].sort((a, b) => (lastValue(b) ?? -1) - (lastValue(a) ?? -1))[0];
    const value = lastValue(worst);
    if (!worst || value === undefined) return 'saturation';
    return `saturation — ${(worst.labels.resource ?? 'a resource').replace('_', ' ')} at ${formatPercent(value)} of its limit`;
  }
  if (name === HEALTH_COMPONENT.cacheHitRatio) {
    const cache = labels[LABEL.cacheName];
    const ratio = lastValue(series.cacheHitRatios.find((s) => s.labels[LABEL.cacheName] === cache));
    const subject = subjectOf(labels) ?? 'caches';
    return ratio === undefined
      ? `hit ratio of ${subject}`
      : `hit ratio of ${subject} — ${formatPercent(ratio)} recently, against its expected ratio or its own last day`;
  }
  return name;
}

/**
 * A dependency failing behind failover or retries: objectives that only open
 * tickets (a model's success, a cache's errors) are below the healthy band
 * while every objective that pages, what users feel, is fully met.
 */
export function maskedFailure(objectives: readonly ObjectiveRow[]): string | undefined {
  const paging = objectives.filter((o) => o.pages && o.score !== undefined);
  const failing = objectives.filter((o) => !o.pages && o.score !== undefined && o.score < HEALTH_BANDS.healthy);
  if (failing.length === 0 || paging.length === 0 || paging.some((o) => o.score !== 100)) return undefined;
  const names = [...new Set(failing.map((o) => `${o.name} (${coverage(o)})`))].join(', ');
  return `Every objective that pages is met, so failover or retries absorb what ${names} misses: a dependency is failing behind them. Fix it before the failover runs out.`;
}
