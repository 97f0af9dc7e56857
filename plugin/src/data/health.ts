/**
 * The Overview's reading of the health score: each component's score (the
 * recording rule's or the same maths inline), its band, and a sentence on what
 * drags it down, built from the component's worst route, model, cache or
 * resource.
 */
import {
  AI_LATENCY_THRESHOLD_SECONDS,
  HEALTH_COMPONENTS,
  HEALTH_RECORDING_RULE,
  HTTP_LATENCY_THRESHOLD_SECONDS,
  LABEL,
  healthBand,
  type HealthBand,
  type HealthComponentId,
} from '@modelwatch/exporter/conventions';
import { lastValue, type Series } from './dsQuery';
import { formatPercent, formatScore } from './format';

/** Below this a component is explained on the Overview. */
export const LOW_COMPONENT_SCORE = 90;

export interface ComponentReading {
  id: HealthComponentId;
  title: string;
  weight: number;
  score: number;
  /** "3.2 % 5xx on POST /chat": why the score is what it is (set when the worst offender is known). */
  reason?: string;
  /** True when the score came from the recording rule rather than inline maths. */
  recorded: boolean;
}

export interface HealthReading {
  score: number;
  band: HealthBand;
  components: ComponentReading[];
}

/** Combines the `components` series with the per-component worst offenders; undefined without a score. */
export function readHealth(
  score: number | undefined,
  components: readonly Series[],
  offenders: Partial<Record<HealthComponentId, Series[]>>,
  weights: Record<HealthComponentId, number>,
): HealthReading | undefined {
  if (score === undefined) return undefined;
  const readings: ComponentReading[] = [];
  for (const component of HEALTH_COMPONENTS) {
    const series = components.find((s) => s.labels[HEALTH_RECORDING_RULE.componentLabel] === component.id);
    const value = lastValue(series);
    if (value === undefined || !series) continue;
    readings.push({
      id: component.id,
      title: component.title,
      weight: weights[component.id],
      score: value,
      reason: reasonFor(component.id, offenders[component.id]?.[0]),
      recorded: series.labels.__name__ === HEALTH_RECORDING_RULE.componentScore,
    });
  }
  return { score, band: healthBand(score, readings.map((r) => r.score)), components: readings };
}

/** `availability 61: 3.2 % 5xx on POST /chat`. */
export function explain(reading: ComponentReading): string {
  return `${reading.title.toLowerCase()} ${formatScore(reading.score)}${reading.reason ? `: ${reading.reason}` : ''}`;
}

export function reasonFor(id: HealthComponentId, offender: Series | undefined): string | undefined {
  const value = lastValue(offender);
  if (!offender || value === undefined) return undefined;
  const l = offender.labels;
  const route = `${l[LABEL.httpRequestMethod] ?? ''} ${l[LABEL.httpRoute] ?? ''}`.trim();
  const model = [l[LABEL.genAiProviderName], l[LABEL.genAiRequestModel]].filter(Boolean).join('/');
  switch (id) {
    case 'availability':
      return `${formatPercent(value)} 5xx on ${route}`;
    case 'latency':
      return `${formatPercent(value)} of requests over ${HTTP_LATENCY_THRESHOLD_SECONDS} s on ${route}`;
    case 'ai_success':
      return `${formatPercent(value)} of calls failing on ${model}`;
    case 'ai_latency':
      return `${formatPercent(value)} of calls over ${AI_LATENCY_THRESHOLD_SECONDS} s on ${model}`;
    case 'cache':
      return `hit ratio ${formatPercent(value)} on ${l[LABEL.cacheName] ?? 'a cache'}`;
    case 'saturation':
      return `${(l.resource ?? 'a resource').replace('_', ' ')} at ${formatPercent(value)} of its limit`;
  }
}
