/**
 * Service health, the executive view: is the service healthy, which objective
 * or component says it is not, how fast each objective burns its error budget
 * and what is left of it, and what the service costs. Everything about health
 * and objectives is read from the recording rules (`modelwatch:health_score`,
 * `modelwatch:health_component:score`, `modelwatch:slo_*`), the numbers the
 * alerts and the app read, so the dashboards need no SLO spec.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ALERT,
  CACHE_RESULT,
  DASHBOARD_UID,
  HEALTH_BANDS,
  HEALTH_RECORDING_RULE,
  LABEL,
  METRICS,
  PROMETHEUS_ALERTS,
  SERVICE_LABEL,
  SLO_LABEL,
  SLO_PERIOD,
  SLO_RECORDING_RULE,
  cacheHitRatio,
  httpErrorRatio,
  increaseOver,
  quantile,
  quantileOf,
  genAiMetricNames,
  samplesOf,
  type SemconvMode,
  rate,
  selector,
  sumBy,
} from '@modelwatch/conventions';
import type { DashboardDefinition } from '../define-dashboard';
import { OBJECTIVE_LEGEND, PAGE_PAIRS, SLI_PANEL_WINDOW, burnRate, objectiveSeries, pairBurnRate, sli } from '../objectives';
import { HEALTH_SCORE_THRESHOLDS, statPanel, tablePanel, timeSeriesPanel, type LabelColumn } from '../panels';
import { promQuery } from '../query';
import { SCOPE, SERVICE_SCOPE } from '../variables';

const score = selector(HEALTH_RECORDING_RULE.score, SERVICE_SCOPE);
const http = METRICS.httpServerRequestDuration.name;

const bandMappings: dashboard.ValueMapping[] = [
  { type: dashboard.MappingType.RangeToText, options: { from: HEALTH_BANDS.healthy, to: 100, result: { text: 'Healthy', color: 'green', index: 0 } } },
  { type: dashboard.MappingType.RangeToText, options: { from: HEALTH_BANDS.degraded, to: HEALTH_BANDS.healthy - 1e-9, result: { text: 'Degraded', color: 'orange', index: 1 } } },
  { type: dashboard.MappingType.RangeToText, options: { from: 0, to: HEALTH_BANDS.degraded - 1e-9, result: { text: 'Critical', color: 'red', index: 2 } } },
];

/**
 * Firing alerts, the watchdog left out (it always fires) and the page and the
 * ticket of one objective counted once (they differ only in severity).
 */
const firingAlerts = `count(count without (severity) (${selector(PROMETHEUS_ALERTS.metric, SERVICE_SCOPE, [`${PROMETHEUS_ALERTS.stateLabel}="${PROMETHEUS_ALERTS.firing}"`, `alertname!="${ALERT.watchdog}"`])})) or vector(0)`;

const serviceColumn: LabelColumn = { label: SERVICE_LABEL, title: 'Service' };

/** The model or cache a row's objective covers (empty for the service's own objectives). */
const dependencyColumns: LabelColumn[] = [
  { label: LABEL.genAiProviderName, title: 'Provider' },
  { label: LABEL.genAiRequestModel, title: 'Model' },
  { label: LABEL.cacheName, title: 'Cache' },
];

/** The service health dashboard, its AI p95 reading the GenAI names the exporters write in `mode`. */
export function serviceHealth(mode: SemconvMode = 'legacy'): DashboardDefinition {
  return {
    uid: DASHBOARD_UID.serviceHealth,
    title: 'Modelwatch / Service health',
    description: 'Health score and its components, each objective’s SLI, burn rate and error budget, golden signals, AI latency, cache and spend of the selected services.',
    sections: [
      {
        title: 'Health',
        panels: [
          statPanel({
            title: 'Health score',
            description: 'The lowest score of the service’s components: its objectives (scored from how fast they burn their error budget), its saturation and its caches’ hit ratios.',
            queries: [promQuery(score, { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
            min: 0,
            max: 100,
            thresholds: HEALTH_SCORE_THRESHOLDS,
          }),
          statPanel({
            title: 'Health band',
            description: `Healthy at ${HEALTH_BANDS.healthy} or more (no page, no ticket), degraded at ${HEALTH_BANDS.degraded} or more, critical below: exactly when an objective’s page is pending or firing.`,
            queries: [promQuery(score, { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
            mappings: bandMappings,
            thresholds: HEALTH_SCORE_THRESHOLDS,
          }),
          statPanel({
            title: 'Firing alerts',
            description: 'Alerts Prometheus is firing for the selected services; an objective’s page and ticket count once, the always-firing watchdog not at all.',
            queries: [promQuery(firingAlerts, { legend: 'firing', instant: true })],
            thresholds: [
              { value: null, color: 'green' },
              { value: 1, color: 'red' },
            ],
          }),
          timeSeriesPanel({
            title: 'Health score over time',
            description: 'The score per service; dips line up with the component that fell.',
            queries: [promQuery(score, { legend: `{{${SERVICE_LABEL}}}` })],
            min: 0,
            max: 100,
            w: 12,
            h: 5,
          }),
          tablePanel({
            title: 'Components, worst first',
            description: 'Each component’s 0–100 score: an objective (per model or cache where it covers several), saturation, or a cache’s hit ratio against its expectation. The lowest is the health score.',
            columns: [
              serviceColumn,
              { label: HEALTH_RECORDING_RULE.componentLabel, title: 'Component' },
              ...dependencyColumns,
              { label: SLO_LABEL.alerting, title: 'Alerting' },
              { label: SLO_LABEL.scope, title: 'Scope' },
              { title: 'Score', expr: selector(HEALTH_RECORDING_RULE.componentScore, SERVICE_SCOPE), decimals: 0, thresholds: HEALTH_SCORE_THRESHOLDS },
            ],
            worstFirstBy: 'Score',
          }),
        ],
      },
      {
        title: 'Objectives',
        panels: [
          tablePanel({
            title: 'Objectives, least budget left first',
            description: `Per objective: its target (and latency threshold), the share of good events over the last ${SLI_PANEL_WINDOW}, its burn rate over the page pairs’ long windows (1 spends the budget exactly over ${SLO_PERIOD}; red from the pair’s factor), the share of its ${SLO_PERIOD} error budget left, and whether it pages or opens a ticket.`,
            columns: [
              serviceColumn,
              { label: SLO_LABEL.name, title: 'Objective' },
              ...dependencyColumns,
              { label: SLO_LABEL.target, title: 'Target', unit: 'percentunit' },
              { label: SLO_LABEL.threshold, title: 'Threshold', unit: 's' },
              { title: `SLI ${SLI_PANEL_WINDOW}`, expr: sli(SLI_PANEL_WINDOW), unit: 'percentunit', decimals: 2 },
              ...PAGE_PAIRS.map((pair) => ({
                title: `Burn rate ${pair.long}`,
                expr: burnRate(pair.long),
                decimals: 2,
                thresholds: [
                  { value: null, color: 'green' },
                  { value: pair.factor, color: 'red' },
                ],
              })),
              {
                title: 'Budget left',
                expr: objectiveSeries(SLO_RECORDING_RULE.budgetRemaining),
                unit: 'percentunit',
                decimals: 1,
                thresholds: [
                  { value: null, color: 'red' },
                  { value: 0, color: 'green' },
                ],
              },
              { label: SLO_LABEL.alerting, title: 'Alerting' },
              { label: SLO_LABEL.scope, title: 'Scope' },
            ],
            worstFirstBy: 'Budget left',
            h: 10,
          }),
          ...PAGE_PAIRS.map((pair) =>
            timeSeriesPanel({
              title: `Burn rate over ${pair.long} and ${pair.short}`,
              description: `Each objective’s burn rate, the lower of its last ${pair.long}’s and ${pair.short}’s: above the line (${pair.factor}×) its page is pending, or its ticket for objectives that do not page.`,
              queries: [promQuery(pairBurnRate(pair), { legend: OBJECTIVE_LEGEND })],
              min: 0,
              thresholds: [
                { value: null, color: 'green' },
                { value: pair.factor, color: 'red' },
              ],
              thresholdLines: true,
            }),
          ),
          timeSeriesPanel({
            title: 'Error budget left',
            description: `Share of each objective’s ${SLO_PERIOD} error budget not yet spent; below the line it is overspent.`,
            queries: [promQuery(objectiveSeries(SLO_RECORDING_RULE.budgetRemaining), { legend: OBJECTIVE_LEGEND })],
            unit: 'percentunit',
            max: 1,
            thresholds: [
              { value: null, color: 'red' },
              { value: 0, color: 'green' },
            ],
            thresholdLines: true,
            w: 24,
          }),
        ],
      },
      {
        title: 'Golden signals',
        panels: [
          statPanel({
            title: 'Availability',
            description: 'Share of HTTP requests not answered 5xx over the time range’s rate interval; the availability objective is in the Objectives table.',
            queries: [promQuery(`1 - (${httpErrorRatio(SCOPE)})`, { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
            unit: 'percentunit',
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
            queries: [promQuery(quantileOf(0.95, samplesOf(genAiMetricNames(mode).callDuration, '_bucket'), [SERVICE_LABEL], SCOPE), { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
            unit: 's',
            w: 6,
          }),
          statPanel({
            title: 'Cache hit ratio',
            description: `Share of cache lookups that were a ${CACHE_RESULT.hit}, all caches together; each cache is judged against its own expectation in the components table.`,
            queries: [promQuery(cacheHitRatio(SCOPE), { legend: `{{${SERVICE_LABEL}}}`, instant: true })],
            unit: 'percentunit',
            w: 6,
          }),
          timeSeriesPanel({
            title: 'HTTP latency',
            description: 'p50, p95 and p99 of HTTP request duration; the dots are exemplars linking to traces.',
            queries: [0.5, 0.95, 0.99].map((q) => promQuery(quantile(q, http, [], SCOPE), { legend: `p${Math.round(q * 100)}`, exemplar: q === 0.99 })),
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
}
