/**
 * Service health, the executive view: is the service healthy, why not, and
 * what it costs. The score and its components come from the recording rules
 * (`modelwatch:health_score`, `modelwatch:health_component:score`), the same
 * numbers the app plugin and the health alerts read.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  CACHE_RESULT,
  DASHBOARD_UID,
  HEALTH_BANDS,
  HEALTH_RECORDING_RULE,
  LABEL,
  METRICS,
  SERVICE_LABEL,
  cacheHitRatio,
  httpErrorRatio,
  selector,
} from '@modelwatch/exporter/conventions';
import type { DashboardDefinition } from '../define-dashboard';
import { barGaugePanel, bandThresholds, statPanel, timeSeriesPanel } from '../panels';
import { PROMETHEUS_ALERTS, increaseOver, quantile, rate, sumBy } from '../promql';
import { promQuery } from '../query';
import { SCOPE, SERVICE_SCOPE } from '../variables';

const score = selector(HEALTH_RECORDING_RULE.score, SERVICE_SCOPE);
const componentScores = selector(HEALTH_RECORDING_RULE.componentScore, SERVICE_SCOPE);
const http = METRICS.httpServerRequestDuration.name;

/**
 * The band as a number the value mappings turn into words: the score, or 0
 * when any component is at 0 (which makes the band critical whatever the
 * weighted score says).
 */
const bandValue = `(${score} and on (${SERVICE_LABEL}) (min by (${SERVICE_LABEL}) (${componentScores}) > 0)) or on (${SERVICE_LABEL}) (${score} * 0)`;

const bandMappings: dashboard.ValueMapping[] = [
  { type: dashboard.MappingType.RangeToText, options: { from: HEALTH_BANDS.healthy, to: 100, result: { text: 'Healthy', color: 'green', index: 0 } } },
  { type: dashboard.MappingType.RangeToText, options: { from: HEALTH_BANDS.degraded, to: HEALTH_BANDS.healthy - 1e-9, result: { text: 'Degraded', color: 'orange', index: 1 } } },
  { type: dashboard.MappingType.RangeToText, options: { from: 0, to: HEALTH_BANDS.degraded - 1e-9, result: { text: 'Critical', color: 'red', index: 2 } } },
];

const scoreThresholds = bandThresholds(HEALTH_BANDS.degraded, HEALTH_BANDS.healthy);

export const serviceHealth: DashboardDefinition = {
  uid: DASHBOARD_UID.serviceHealth,
  title: 'Modelwatch / Service health',
  description: 'Health score, golden signals, AI latency, cache and spend of the selected services.',
  sections: [
    {
      title: 'Health',
      panels: [
        statPanel({
          title: 'Health score',
          description: 'Weighted 0–100 score of the components that had traffic in the last 5 minutes.',
          queries: [promQuery(score, { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
          min: 0,
          max: 100,
          thresholds: scoreThresholds,
        }),
        statPanel({
          title: 'Health band',
          description: `Healthy at ${HEALTH_BANDS.healthy} or more, degraded at ${HEALTH_BANDS.degraded} or more, critical below; any component at 0 makes it critical.`,
          queries: [promQuery(bandValue, { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
          mappings: bandMappings,
          thresholds: scoreThresholds,
        }),
        barGaugePanel({
          title: 'Score by component',
          description: 'Each component’s 0–100 score; the lowest explain a low health score.',
          queries: [promQuery(componentScores, { legend: `{{${HEALTH_RECORDING_RULE.componentLabel}}}`, instant: true })],
          min: 0,
          max: 100,
          w: 10,
          h: 10,
          thresholds: scoreThresholds,
        }),
        statPanel({
          title: 'Firing alerts',
          description: 'Alerts Prometheus is firing for the selected services.',
          queries: [promQuery(`count(${selector(PROMETHEUS_ALERTS.metric, SERVICE_SCOPE, [`${PROMETHEUS_ALERTS.stateLabel}="${PROMETHEUS_ALERTS.firing}"`])}) or vector(0)`, { legend: 'firing', instant: true })],
          thresholds: [
            { value: null, color: 'green' },
            { value: 1, color: 'red' },
          ],
          w: 6,
          h: 5,
        }),
        timeSeriesPanel({
          title: 'Health score over time',
          description: 'The score per service; dips line up with the component that fell.',
          queries: [promQuery(score, { legend: `{{${SERVICE_LABEL}}}` })],
          min: 0,
          max: 100,
          w: 14,
          h: 5,
        }),
      ],
    },
    {
      title: 'Golden signals',
      panels: [
        statPanel({
          title: 'Availability',
          description: 'Share of HTTP requests not answered 5xx.',
          queries: [promQuery(`1 - (${httpErrorRatio(SCOPE)})`, { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
          unit: 'percentunit',
          thresholds: bandThresholds(0.99, 0.999),
          w: 6,
        }),
        statPanel({
          title: 'Throughput',
          description: 'HTTP requests per second.',
          queries: [promQuery(sumBy([SERVICE_LABEL], rate(`${http}_count`, SCOPE)), { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
          unit: 'reqps',
          w: 6,
        }),
        statPanel({
          title: 'AI p95',
          description: '95th percentile duration of AI model calls.',
          queries: [promQuery(quantile(0.95, METRICS.genAiOperationDuration.name, SCOPE, [SERVICE_LABEL]), { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
          unit: 's',
          w: 6,
        }),
        statPanel({
          title: 'Cache hit ratio',
          description: `Share of cache lookups that were a ${CACHE_RESULT.hit}.`,
          queries: [promQuery(cacheHitRatio(SCOPE), { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
          unit: 'percentunit',
          thresholds: bandThresholds(0.5, 0.8),
          w: 6,
        }),
        timeSeriesPanel({
          title: 'HTTP latency',
          description: 'p50, p95 and p99 of HTTP request duration; the dots are exemplars linking to traces.',
          queries: [0.5, 0.95, 0.99].map((q) => promQuery(quantile(q, http, SCOPE), { legend: `p${Math.round(q * 100)}`, exemplar: q === 0.99 })),
          unit: 's',
          w: 8,
        }),
        timeSeriesPanel({
          title: 'HTTP error rate',
          description: 'Share of requests answered 5xx.',
          queries: [promQuery(httpErrorRatio(SCOPE), { legend: `{{${SERVICE_LABEL}}}` })],
          unit: 'percentunit',
          min: 0,
          w: 8,
        }),
        timeSeriesPanel({
          title: 'Throughput by status',
          description: 'HTTP requests per second by response status code.',
          queries: [promQuery(sumBy([LABEL.httpResponseStatusCode], rate(`${http}_count`, SCOPE)), { legend: `{{${LABEL.httpResponseStatusCode}}}` })],
          unit: 'reqps',
          stacked: true,
          w: 8,
        }),
      ],
    },
    {
      title: 'Spend',
      panels: [
        statPanel({
          title: 'AI spend today',
          description: 'US dollars spent on AI calls since midnight (browser time).',
          queries: [promQuery(sumBy([], increaseOver(METRICS.genAiCost.name, SCOPE, '$__range')), { legend: 'today', instant: true })],
          unit: 'currencyUSD',
          timeFrom: 'now/d',
          w: 6,
        }),
        timeSeriesPanel({
          title: 'AI spend per hour',
          description: 'Current spend rate by provider, in US dollars per hour.',
          queries: [promQuery(`${sumBy([LABEL.genAiProviderName], rate(METRICS.genAiCost.name, SCOPE))} * 3600`, { legend: `{{${LABEL.genAiProviderName}}}` })],
          unit: 'currencyUSD',
          stacked: true,
          w: 18,
        }),
      ],
    },
  ],
};
