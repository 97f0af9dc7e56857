/**
 * AI models: traffic, latency, errors, tokens and cost per provider and model
 * — the page to open when the AI part of the health score drops or the spend
 * alert fires.
 */
import { BUDGET_RECORDING_RULE, DASHBOARD_UID, LABEL, METRICS, SERVICE_LABEL, SLO_KIND, SLO_LABEL, TOKEN_TYPE, increaseOver, quantile, rate, selector, sumBy } from '@modelwatch/conventions';
import type { DashboardDefinition } from '../define-dashboard';
import { objectiveSliPanel } from '../objectives';
import { heatmapPanel, statPanel, timeSeriesPanel } from '../panels';
import { promQuery } from '../query';
import { MODEL_SCOPE, SCOPE, SERVICE_SCOPE, modelVariable } from '../variables';

const duration = METRICS.genAiOperationDuration.name;
const model = [LABEL.genAiProviderName, LABEL.genAiRequestModel];
const modelLegend = `{{${LABEL.genAiProviderName}}} / {{${LABEL.genAiRequestModel}}}`;
const cost = METRICS.genAiCost.name;
const noError = `${LABEL.errorType}=""`;
const anError = `${LABEL.errorType}!=""`;

/**
 * Each service's spend per month at the current rate: the last hour's rate
 * over the days of this month. `days_in_month()` is a vector without labels,
 * which matches no per-service sample: it is multiplied in as a scalar.
 */
// Service-wide whatever the model filter: it is compared with the service's budget.
const projectedMonthSpend = `${sumBy([SERVICE_LABEL], rate(cost, { ...SCOPE, window: '1h' }))} * 86400 * scalar(days_in_month())`;

/** Each service's monthly AI budget, as its SLO spec sets it (the recording rule publishes it). */
const monthlyBudget = `max by (${SERVICE_LABEL}) (${selector(BUDGET_RECORDING_RULE, SERVICE_SCOPE)})`;

export const aiModels: DashboardDefinition = {
  uid: DASHBOARD_UID.aiModels,
  title: 'Modelwatch / AI models',
  description: 'Request rate, latency, time to first chunk, errors, tokens and cost per AI provider and model.',
  variables: [modelVariable()],
  sections: [
    {
      title: 'Traffic and latency',
      panels: [
        timeSeriesPanel({
          title: 'Requests per model',
          description: 'AI calls per second by provider and model, failed ones included.',
          queries: [promQuery(sumBy(model, rate(`${duration}_count`, MODEL_SCOPE)), { legend: modelLegend })],
          unit: 'reqps',
          stacked: true,
        }),
        timeSeriesPanel({
          title: 'Duration p50 / p95 / p99',
          description: 'Duration of AI calls per model; the dots are exemplars linking to traces.',
          queries: [0.5, 0.95, 0.99].map((q) => promQuery(quantile(q, duration, model, MODEL_SCOPE), { legend: `p${Math.round(q * 100)} ${modelLegend}`, exemplar: q === 0.99 })),
          unit: 's',
        }),
        timeSeriesPanel({
          title: 'Time to first chunk p95',
          description: 'How long streaming calls wait for their first chunk, per model.',
          queries: [promQuery(quantile(0.95, METRICS.genAiTimeToFirstChunk.name, model, MODEL_SCOPE), { legend: modelLegend })],
          unit: 's',
        }),
        timeSeriesPanel({
          title: 'Time per output token p95',
          description: 'Seconds per output token of generating calls (their duration over the tokens they wrote), per model: how fast a model writes, whatever the answer’s length.',
          queries: [promQuery(quantile(0.95, METRICS.genAiTimePerOutputToken.name, model, MODEL_SCOPE), { legend: modelLegend })],
          unit: 's',
        }),
        timeSeriesPanel({
          title: 'Error ratio by error type',
          description: 'Share of each model’s calls that failed, by error type (rate_limited, timeout, server_error…).',
          queries: [
            promQuery(`${sumBy([...model, LABEL.errorType], rate(`${duration}_count`, MODEL_SCOPE, [anError]))} / ignoring (${LABEL.errorType}) group_left ${sumBy(model, rate(`${duration}_count`, MODEL_SCOPE))}`, {
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
          queries: [promQuery(sumBy(['le'], increaseOver(`${duration}_bucket`, MODEL_SCOPE, '$__rate_interval', [noError])), { legend: '{{le}}', heatmap: true })],
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
            promQuery(sumBy([LABEL.genAiRequestModel, LABEL.genAiTokenType], rate(METRICS.genAiTokens.name, MODEL_SCOPE, [`${LABEL.genAiTokenType}=~"${[TOKEN_TYPE.input, TOKEN_TYPE.output, TOKEN_TYPE.cacheRead].join('|')}"`])), {
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
            promQuery(`${sumBy([], rate(METRICS.genAiTokens.name, MODEL_SCOPE, [`${LABEL.genAiTokenType}="${TOKEN_TYPE.cacheRead}"`]))} / ${sumBy([], rate(METRICS.genAiTokens.name, MODEL_SCOPE, [`${LABEL.genAiTokenType}="${TOKEN_TYPE.input}"`]))}`, {
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
        timeSeriesPanel({
          title: 'Cost per request',
          description: 'Average spend per AI call of each model.',
          queries: [promQuery(`${sumBy(model, rate(cost, MODEL_SCOPE))} / ${sumBy(model, rate(`${duration}_count`, MODEL_SCOPE))}`, { legend: modelLegend })],
          unit: 'currencyUSD',
        }),
        timeSeriesPanel({
          title: 'Projected month spend vs budget',
          description: 'Each service’s last hour of spend at that rate over the whole month, against the monthly budget its SLO spec sets.',
          queries: [promQuery(projectedMonthSpend, { legend: `projected {{${SERVICE_LABEL}}}` }), promQuery(monthlyBudget, { legend: `budget {{${SERVICE_LABEL}}}` })],
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
  ],
};
