/**
 * AI models: traffic, latency, errors, tokens and cost per provider and model
 * — the page to open when the AI part of the health score drops or the spend
 * alert fires.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  ANOMALY_SIGNAL,
  ATTRIBUTED_SPEND_TOP,
  BUDGET_RECORDING_RULE,
  DASHBOARD_UID,
  DEFAULT_SERVICE_SLOS,
  LABEL,
  METRICS,
  OVERFLOW_LABEL_VALUE,
  RATE_LIMIT_HEADROOM_SHARE,
  SERVICE_LABEL,
  SLO_KIND,
  SLO_LABEL,
  TOKEN_TYPE,
  UNATTRIBUTED_LABEL_VALUE,
  attributedBudget,
  attributedBudgetShare,
  attributedSpend,
  attributedValueNames,
  increaseOver,
  modelSubstitutionShare,
  modelSubstitutions,
  orNaN,
  projectedMonthSpend,
  quantile,
  quantileOf,
  rate,
  rateLimitRemainingShare,
  rateLimitSecondsToReset,
  selector,
  sumBy,
  genAiMetricNames,
  samplesOf,
  tokenRate,
  type AttributedBudgetOwner,
  type SemconvMode,
} from '@modelwatch/conventions';
import { anomalyBandPanel } from '../anomaly-band';
import type { DashboardDefinition } from '../define-dashboard';
import { objectiveSliPanel } from '../objectives';
import { heatmapPanel, statPanel, tablePanel, timeSeriesPanel, type LabelColumn } from '../panels';
import { promQuery } from '../query';
import { MODEL_SCOPE, SCOPE, SERVICE_SCOPE, modelVariable } from '../variables';

const model = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const modelLegend = `{{${LABEL.genAiProviderName}}} / {{${LABEL.genAiRequestModel}}}`;
const cost = METRICS.genAiCost.name;
const noError = `${LABEL.errorType}=""`;
const anError = `${LABEL.errorType}!=""`;

/** Spend projections run at the last hour's pace. */
const PROJECTION_WINDOW = '1h';

/** Each service's spend per month at the current rate. Service-wide whatever the model filter: it is compared with the service's budget. */
const serviceMonthSpend = projectedMonthSpend(cost, [SERVICE_LABEL], { ...SCOPE, window: PROJECTION_WINDOW });

/** Share of a budget at which its bar turns orange: the SLO spec's first early warning by default (the recording rules carry no service's own). */
const budgetWarningShare = DEFAULT_SERVICE_SLOS.budgets.warnAt[0] ?? 1;

/** Tenants' and features' spend, service-wide (their budgets are the service's, recorded without an instance). */
const ATTRIBUTION_SCOPE = { ...SERVICE_SCOPE, window: PROJECTION_WINDOW };

/**
 * Each tenant's (or feature's) month at the current pace against the budget
 * the service's spec gives it, top spenders first. Every query answers one
 * series per spending tenant (NaN where there is no budget, shown as words),
 * so the merge makes whole rows.
 */
function attributedSpendTable(by: AttributedBudgetOwner, title: string, noun: string) {
  const spend = attributedSpend(by, ATTRIBUTION_SCOPE);
  const names = attributedValueNames(by);
  return tablePanel({
    title,
    description: `Each ${noun}'s spend at the last hour's pace over this month, against the monthly budget the service's SLO spec gives it (orange from ${budgetWarningShare * 100} % of it, red past it); the ${ATTRIBUTED_SPEND_TOP} largest by name, then “${names[OVERFLOW_LABEL_VALUE]}” (those the exporter folded outside its top spenders) and “${names[UNATTRIBUTED_LABEL_VALUE]}” (calls nobody attributed).`,
    columns: [
      { label: SERVICE_LABEL, title: 'Service' },
      { label: by, title: noun[0]!.toUpperCase() + noun.slice(1) },
      { title: 'Projected month', expr: spend, unit: 'currencyUSD', decimals: 2 },
      { title: 'Budget', expr: orNaN(attributedBudget(by, ATTRIBUTION_SCOPE), spend), unit: 'currencyUSD', decimals: 2 },
      {
        title: 'Budget used',
        expr: orNaN(attributedBudgetShare(by, ATTRIBUTION_SCOPE), spend),
        unit: 'percentunit',
        decimals: 0,
        bar: { min: 0, max: 1 },
        thresholds: [
          { value: null, color: 'green' },
          { value: budgetWarningShare, color: 'orange' },
          { value: 1, color: 'red' },
        ],
      },
    ],
    worstFirstBy: 'Projected month',
    highestFirst: true,
    mappings: [
      { type: dashboard.MappingType.ValueToText, options: Object.fromEntries(Object.entries(names).map(([value, text], index) => [value, { text, index }])) },
      { type: dashboard.MappingType.SpecialValue, options: { match: dashboard.SpecialValueMatch.NotANumber, result: { text: 'no budget', index: 2 } } },
    ],
    w: 12,
    h: 9,
  });
}

const modelColumns: LabelColumn[] = [
  { label: SERVICE_LABEL, title: 'Service' },
  { label: LABEL.genAiProviderName, title: 'Provider' },
  { label: LABEL.genAiRequestModel, title: 'Model' },
];

/** Substitutions over the dashboard's range. */
const RANGE_SCOPE = { ...MODEL_SCOPE, window: '$__range' };

/** Each service's monthly AI budget, as its SLO spec sets it (the recording rule publishes it). */
const monthlyBudget = `max by (${SERVICE_LABEL}) (${selector(BUDGET_RECORDING_RULE, SERVICE_SCOPE)})`;

/** The AI models dashboard, reading the GenAI names the exporters write in `mode`. */
export function aiModels(mode: SemconvMode = 'legacy'): DashboardDefinition {
  const names = genAiMetricNames(mode);
  // Every call's `_count` and `_bucket` samples (one histogram in legacy, inference and the others in v0.1).
  const calls = samplesOf(names.callDuration, '_count');
  const buckets = samplesOf(names.callDuration, '_bucket');
  return {
    uid: DASHBOARD_UID.aiModels,
    title: 'Modelwatch / AI models',
    description: 'Request rate, latency, time to first chunk, errors, tokens and cost per AI provider and model.',
    variables: [modelVariable(mode)],
    sections: [
      {
        title: 'Traffic and latency',
        panels: [
          timeSeriesPanel({
            title: 'Requests per model',
            description: 'AI calls per second by provider and model, failed ones included.',
            queries: [promQuery(sumBy(model, rate(calls.metric, MODEL_SCOPE, calls.matchers)), { legend: modelLegend })],
            unit: 'reqps',
            stacked: true,
          }),
          timeSeriesPanel({
            title: 'Duration p50 / p95 / p99',
            description: 'Duration of AI calls per model; the dots are exemplars linking to traces.',
            queries: [0.5, 0.95, 0.99].map((q) => promQuery(quantileOf(q, buckets, model, MODEL_SCOPE), { legend: `p${Math.round(q * 100)} ${modelLegend}`, exemplar: q === 0.99 })),
            unit: 's',
          }),
          timeSeriesPanel({
            title: 'Time to first chunk p95',
            description: 'How long streaming calls wait for their first chunk, per model.',
            queries: [promQuery(quantile(0.95, names.timeToFirstChunk, model, MODEL_SCOPE), { legend: modelLegend })],
            unit: 's',
          }),
          timeSeriesPanel({
            title: 'Time per output token p95',
            description: 'Seconds per output token of generating calls (their duration over the tokens they wrote), per model: how fast a model writes, whatever the answer’s length.',
            queries: [promQuery(quantile(0.95, METRICS.genAiTimePerOutputToken.name, model, MODEL_SCOPE), { legend: modelLegend })],
            unit: 's',
          }),
          anomalyBandPanel(ANOMALY_SIGNAL.aiTimeToFirstChunkP95, { title: 'Time to first chunk p95 against its usual band', description: 'Each model’s p95 time to first chunk.', unit: 's', legend: modelLegend, perModel: true }),
          timeSeriesPanel({
            title: 'Error ratio by error type',
            description: 'Share of each model’s calls that failed, by error type (rate_limited, timeout, server_error…).',
            queries: [
              promQuery(`${sumBy([...model, LABEL.errorType], rate(calls.metric, MODEL_SCOPE, [anError, ...calls.matchers]))} / ignoring (${LABEL.errorType}) group_left ${sumBy(model, rate(calls.metric, MODEL_SCOPE, calls.matchers))}`, {
                legend: `${modelLegend} {{${LABEL.errorType}}}`,
              }),
            ],
            unit: 'percentunit',
            min: 0,
          }),
          objectiveSliPanel({
            title: 'AI objectives',
            description: 'The objectives of the AI calls: success, time to first chunk, time per output token and duration, per provider and model.',
            kinds: [SLO_KIND.aiSuccess, SLO_KIND.aiTimeToFirstChunk, SLO_KIND.aiTimePerOutputToken, SLO_KIND.aiDuration],
            legend: `{{${SLO_LABEL.name}}} ${modelLegend}`,
          }),
          heatmapPanel({
            title: 'Duration heatmap',
            description: 'Distribution of successful AI call durations over time (histogram buckets).',
            queries: [promQuery(sumBy(['le'], increaseOver(buckets.metric, MODEL_SCOPE, '$__rate_interval', [noError, ...buckets.matchers])), { legend: '{{le}}', heatmap: true })],
          }),
        ],
      },
      {
        title: 'Tokens',
        panels: [
          timeSeriesPanel({
            title: 'Tokens per second',
            description: 'Input (cached input included), output and cache-read tokens per second by model.',
            queries: [
              promQuery(sumBy([LABEL.genAiRequestModel, LABEL.genAiTokenType], tokenRate([TOKEN_TYPE.input, TOKEN_TYPE.output, TOKEN_TYPE.cacheRead], MODEL_SCOPE, mode)), {
                legend: `{{${LABEL.genAiRequestModel}}} {{${LABEL.genAiTokenType}}}`,
              }),
            ],
            unit: 'short',
            w: 16,
          }),
          statPanel({
            title: 'Prompt-cache share of input',
            description: 'Share of input tokens read from the providers’ prompt caches.',
            queries: [
              promQuery(`${sumBy([], tokenRate([TOKEN_TYPE.cacheRead], MODEL_SCOPE, mode))} / ${sumBy([], tokenRate([TOKEN_TYPE.input], MODEL_SCOPE, mode))}`, {
                legend: 'cached',
                instant: true,
              }),
            ],
            unit: 'percentunit',
            w: 8,
            h: 8,
          }),
        ],
      },
      {
        title: 'Cost',
        panels: [
          timeSeriesPanel({
            title: 'Cost per hour',
            description: 'Spend rate per model, in US dollars per hour.',
            queries: [promQuery(`${sumBy(model, rate(cost, MODEL_SCOPE))} * 3600`, { legend: modelLegend })],
            unit: 'currencyUSD',
            stacked: true,
          }),
          anomalyBandPanel(ANOMALY_SIGNAL.aiSpend, { title: 'Spend per hour against its usual band', description: 'Each service’s AI spend per hour.', unit: 'currencyUSD', legend: `{{${SERVICE_LABEL}}}` }),
          timeSeriesPanel({
            title: 'Cost per request',
            description: 'Average spend per AI call of each model.',
            queries: [promQuery(`${sumBy(model, rate(cost, MODEL_SCOPE))} / ${sumBy(model, rate(calls.metric, MODEL_SCOPE, calls.matchers))}`, { legend: modelLegend })],
            unit: 'currencyUSD',
          }),
          timeSeriesPanel({
            title: 'Projected month spend vs budget',
            description: 'Each service’s last hour of spend at that rate over the whole month, against the monthly budget its SLO spec sets.',
            queries: [promQuery(serviceMonthSpend, { legend: `projected {{${SERVICE_LABEL}}}` }), promQuery(monthlyBudget, { legend: `budget {{${SERVICE_LABEL}}}` })],
            unit: 'currencyUSD',
          }),
          timeSeriesPanel({
            title: 'Unpriced calls',
            description: 'Calls to models without a known price: their spend is missing from the cost panels.',
            queries: [promQuery(sumBy(model, increaseOver(METRICS.genAiUnpricedOperations.name, MODEL_SCOPE, '$__rate_interval')), { legend: modelLegend })],
            unit: 'short',
          }),
        ],
      },
      {
        title: 'Spend by tenant and feature',
        panels: [attributedSpendTable(LABEL.tenant, 'Projected month spend by tenant', 'tenant'), attributedSpendTable(LABEL.feature, 'Projected month spend by feature', 'feature')],
      },
      {
        title: 'Providers',
        panels: [
          tablePanel({
            title: 'Model substitutions',
            description: 'Calls over the range that another model answered than the one requested (provider fallbacks, aliases, routers; priced on the model that answered), and their share of the requested model’s calls. No rows: none happened.',
            columns: [
              ...modelColumns,
              { label: LABEL.genAiResponseModel, title: 'Answered by' },
              { title: 'Calls', expr: modelSubstitutions(RANGE_SCOPE), unit: 'short', decimals: 0 },
              { title: 'Share of its calls', expr: modelSubstitutionShare(RANGE_SCOPE, mode), unit: 'percentunit', decimals: 1 },
            ],
            worstFirstBy: 'Calls',
            highestFirst: true,
            w: 12,
            h: 9,
          }),
          tablePanel({
            title: 'Rate-limit headroom',
            description: `What is left of each provider rate limit (requests, tokens) per model, from the rate-limit headers of OpenAI's and Anthropic's last responses as the exporter's SDK integrations read them (the lowest of the service's processes; orange below ${RATE_LIMIT_HEADROOM_SHARE.low * 100} %, red below ${RATE_LIMIT_HEADROOM_SHARE.critical * 100} %), and the time until it is full again. No rows: no such headers arrived.`,
            columns: [
              ...modelColumns,
              { label: LABEL.rateLimitType, title: 'Limit' },
              {
                title: 'Remaining',
                expr: rateLimitRemainingShare(SCOPE),
                unit: 'percentunit',
                decimals: 0,
                bar: { min: 0, max: 1 },
                thresholds: [
                  { value: null, color: 'red' },
                  { value: RATE_LIMIT_HEADROOM_SHARE.critical, color: 'orange' },
                  { value: RATE_LIMIT_HEADROOM_SHARE.low, color: 'green' },
                ],
              },
              { title: 'Resets in', expr: rateLimitSecondsToReset(SCOPE), unit: 's', decimals: 0 },
            ],
            worstFirstBy: 'Remaining',
            w: 12,
            h: 9,
          }),
        ],
      },
    ],
  };
}
