/** Runbook content of the anomaly and deploy-regression alerts (anomaly-alerts.ts). */
import {
  ALERT,
  ANOMALY_SIGNAL,
  DEPLOY_RECORDING_RULE,
  LABEL,
  METRICS,
  VERSION_INFO,
  anomalyBandQuery,
  anomalyRecords,
  previousVersionsQuery,
  quantile,
  sumRate,
  type AnomalySignal,
} from '@modelwatch/conventions';
import { aiErrorsOver, tokensByKindOver } from './gen-ai-checks';
import type { Runbook } from './runbooks';

const JOB = ['job="<job>"'];

/** The last hour of a signal and its band, for the reader to compare. */
function bandChecks(signal: AnomalySignal, what: string): Runbook['checks'] {
  return [
    { what: `${what} over the last hour`, query: `${anomalyRecords(signal).value}{job="<job>"}` },
    { what: 'The upper edge of its band (the same hour over the last week)', query: anomalyBandQuery(signal, 'upper', JOB) },
    { what: 'The lower edge of its band', query: anomalyBandQuery(signal, 'lower', JOB) },
  ];
}

const BAND =
  'A signal is judged against its own history: its value over the last hour against the same hour on each of the last 7 days (their mean ± 3 standard deviations, never narrower than the signal\'s minimum change, so a signal that never varies does not alert on noise). The daily and weekly rhythm of traffic is in the band, not in the alert. Judged only for series with all 7 days of history and enough calls in the hour.';
const ticket = 'A ticket, never a page: an unusual hour is worth a look in working hours; the objectives page when users are hurt.';

export const ANOMALY_RUNBOOKS = {
  [ALERT.aiLatencyAnomaly]: {
    meaning: `The p95 time to first chunk or time per output token (the \`signal\` label) of one provider/model is well above what it usually is at this hour. ${BAND} ${ticket}`,
    causes: ['The provider is slower (queueing, a degraded region) without breaking an objective yet', 'Longer prompts (prefill time grows with the input)', 'A model version change behind the same name'],
    checks: [
      ...bandChecks(ANOMALY_SIGNAL.aiTimeToFirstChunkP95, 'p95 time to first chunk by model'),
      { what: 'p95 time per output token by model, now', query: quantile(0.95, METRICS.genAiTimePerOutputToken.name, [LABEL.genAiRequestModel], { matchers: JOB }) },
    ],
    mitigation: ["Check the provider's status page and the model's objectives (AiLatencyErrorBudgetBurn).", 'Route latency-sensitive calls to another model or provider.', 'Trim prompts if the input grew.'],
  },
  [ALERT.aiErrorRatioAnomaly]: {
    meaning: `The share of one provider/model's calls that fail (rate limiting not counted) is well above its usual share at this hour, by at least 2 percentage points. ${BAND} ${ticket}`,
    causes: ['A partial provider outage, below the 5 % of AiErrorRateHigh', 'A client change sending requests the provider rejects (client_error)', 'Timeouts set too short for a slower provider'],
    checks: [
      ...bandChecks(ANOMALY_SIGNAL.aiErrorRatio, 'Error ratio by model'),
      { what: 'AI errors by provider, model and type', query: aiErrorsOver('1h') },
    ],
    mitigation: ["Check the provider's status page.", 'If the errors started with a deploy, roll it back (DeployRegression may fire too).', 'Move traffic to the fallback model if the errors grow.'],
  },
  [ALERT.aiSpendAnomaly]: {
    meaning: `A service's AI spend per hour is far from its usual spend at this hour, above or below, by at least $1 an hour. Above: money leaking before the budget alerts see it; below: calls that stopped (a broken feature, a lost client). ${BAND} ${ticket}`,
    causes: ['A runaway client or loop (above)', 'A prompt or model change that costs more per call (above)', 'The answer cache stopped hitting (above)', 'A feature or client stopped calling the models (below)'],
    checks: [
      ...bandChecks(ANOMALY_SIGNAL.aiSpend, 'USD per hour'),
      { what: 'USD per hour by model', query: `${sumRate(METRICS.genAiCost.name, [LABEL.genAiProviderName, LABEL.genAiRequestModel], { matchers: JOB, window: '1h' })} * 3600` },
    ],
    mitigation: ['Find the model whose spend moved (above), then whether calls or tokens per call moved (AiTokensPerCallAnomaly).', 'Stop a runaway client; revert a prompt change that multiplied tokens.', 'If spend fell, check that the feature still answers.'],
  },
  [ALERT.aiTokensPerCallAnomaly]: {
    meaning: `The tokens per call (input and output) of one provider/model are far from their usual count at this hour, above or below, by at least 100. ${BAND} ${ticket}`,
    causes: ['A prompt change (more history, a bigger system prompt, retrieved context growing)', 'Answers running longer (a lost max_tokens, a model change)', 'Truncated prompts or answers (below)'],
    checks: [
      ...bandChecks(ANOMALY_SIGNAL.aiTokensPerCall, 'Tokens per call by model'),
      { what: 'Tokens per second by model and kind', query: tokensByKindOver('1h') },
    ],
    mitigation: ['Find the deploy or prompt change that moved it.', 'Cap max_tokens and trim history if the growth is not intended.', 'Check answer quality if tokens fell.'],
  },
  [ALERT.deployRegression]: {
    meaning: `The version a service runs now (\`${VERSION_INFO.label}\`, from its \`${VERSION_INFO.metric}\` info metric, OpenTelemetry's \`service.version\`) is slower (HTTP p95 at least 1.25× and 0.1 s more) or answers 5xx more often (2 percentage points more) than the versions it replaced in the last day, each in its last hour. Compared once the old version stopped reporting (a rolling deploy compares when it is done), for a day. ${ticket}`,
    causes: ['A code change in the new version (a slow query, an N+1, a new dependency call)', 'A configuration change shipped with it (timeouts, pool sizes, a model)', 'The new version runs on different resources'],
    checks: [
      { what: 'HTTP p95 per running version', query: `${DEPLOY_RECORDING_RULE.latencyP95}{job="<job>"}` },
      { what: 'HTTP p95 of the replaced versions (the slowest)', query: previousVersionsQuery('latencyP95', '1d') },
      { what: '5xx share per running version', query: `${DEPLOY_RECORDING_RULE.errorRatio}{job="<job>"}` },
      { what: 'Versions each instance runs', query: `${VERSION_INFO.metric}{job="<job>"}` },
    ],
    mitigation: ['Roll back to the previous version.', 'Compare the two versions in the traces of the slow or failing routes.', 'If the change is intended (a heavier feature), the alert resolves a day after the old version stopped.'],
  },
} as const satisfies Record<string, Runbook>;
