/**
 * Runbook content per alert: what it means, likely causes, first checks and
 * mitigation. `npm run alerts` writes alerting/runbooks/<alert>.md from it,
 * with the alert's own query as the first check.
 */
import { ALERT, LABEL, METRICS, RUNTIME_METRIC, genAiMetricNames, quantile, rate, sumRate, type AlertName, type QueryScope, type SemconvMode } from '@modelwatch/conventions';
import { aiCalls, aiErrorsOver } from './gen-ai-checks';
import { ANOMALY_RUNBOOKS } from './anomaly-runbooks';

export interface Runbook {
  meaning: string;
  causes: readonly string[];
  /** Extra first checks after the alert's own query. */
  /** A query of GenAI metrics is built for the semconv mode the rules are generated for. */
  checks: readonly { what: string; query: string | ((mode: SemconvMode) => string) }[];
  mitigation: readonly string[];
}

const http = METRICS.httpServerRequestDuration.name;
/** The service a runbook's queries look at, for the reader to fill in. */
const JOB: QueryScope = { matchers: ['job="<job>"'] };
const byRouteStatus = sumRate(`${http}_count`, [LABEL.httpRoute, LABEL.httpResponseStatusCode], JOB);
const aiErrors = aiErrorsOver('5m');
const callsPerSecond = (by: readonly string[]) => (mode: SemconvMode) => {
  const calls = aiCalls(mode);
  return sumRate(calls.metric, by, JOB, calls.matchers);
};
const slowRoutes = quantile(0.95, http, [LABEL.httpRoute], JOB);
const ttfcP95 = (mode: SemconvMode) => quantile(0.95, genAiMetricNames(mode).timeToFirstChunk, [LABEL.genAiRequestModel], JOB);
const cacheLookups = sumRate(METRICS.cacheRequests.name, [LABEL.cacheName, LABEL.cacheResult], JOB);
const spendByModel = `${sumRate(METRICS.genAiCost.name, [LABEL.genAiProviderName, LABEL.genAiRequestModel], { ...JOB, window: '1h' })} * 3600`;
const budgetSteps = ['Find the model or route driving spend (above) and whether traffic or tokens per call grew.', 'Route cheaper work to the fast tier, cap tokens per call, or raise the answer cache TTL.', 'If the growth is expected, raise `monthly_budget_usd` of the service in its SLO spec and regenerate.'];

const attributed = METRICS.genAiAttributedCost.name;
/** Spend per hour of each tenant or feature, and by the other label: which feature a tenant spends on, which tenants use a feature. */
const spendBy = (by: readonly string[]) => `${sumRate(attributed, by, { ...JOB, window: '1h' })} * 3600`;
const rateLimitGauges = (metric: string) => `${metric}{job="<job>"}`;

export const RUNBOOKS: Record<AlertName, Runbook> = {
  [ALERT.availabilityBudgetBurn]: {
    meaning:
      'An availability objective of the SLO spec (its name, scope and target are the alert\'s `slo`, `slo_scope` and `slo_target` labels) spends its error budget on 5xx answers much faster than it allows. Critical (a page): at this pace the 30-day budget is gone within days; warning (a ticket): within the period.',
    causes: ['Both AI providers failing, so the route answers 502', 'A bad deploy or a failing dependency (database, cache backend) throwing', 'Overload: 503 from the service'],
    checks: [{ what: '5xx by route and status', query: byRouteStatus }, { what: 'AI errors by provider, model and type', query: aiErrors }],
    mitigation: ['Roll back the last deploy if the errors started with it.', 'If one provider fails, pin traffic to the other one.', 'Shed load or scale out when the service is overloaded.'],
  },
  [ALERT.latencyBudgetBurn]: {
    meaning:
      'A latency objective of the SLO spec (`slo`, `slo_scope`: the routes it covers; `slo_threshold_seconds`, `slo_target`) has too many requests over its threshold: its error budget burns faster than it allows. Routes that wait for a model have their own, looser objectives in the spec.',
    causes: ['A slow AI provider or model (queueing, longer outputs)', 'Answer cache misses (cold or broken cache)', 'Slow database queries, CPU saturation or event-loop lag'],
    checks: [{ what: 'p95 by route', query: slowRoutes }, { what: 'AI time to first chunk p95 by model', query: ttfcP95 }],
    mitigation: ['Move traffic off the slow model or provider.', 'Fix the cache if its hit ratio dropped.', 'Scale out if CPU or event-loop lag is high.', 'If the objective no longer fits the route (a new, longer answer), change it in the SLO spec and regenerate.'],
  },
  [ALERT.aiSuccessBudgetBurn]: {
    meaning:
      'Calls to one provider/model (`gen_ai_provider_name`, `gen_ai_request_model`) fail more often than its success objective allows. It is a ticket by default: failover or retries may hide it from users, and the user-facing objectives page if they do not.',
    causes: ['Provider outage or degraded region', 'Wrong or expired API key (client_error)', 'Rate limiting (rate_limited)', 'Network trouble to the provider (connection_error, timeout)'],
    checks: [{ what: 'Errors by type', query: aiErrors }],
    mitigation: ["Check the provider's status page.", 'Pin traffic to the other provider until it recovers.', 'Rotate the API key on client errors.'],
  },
  [ALERT.aiLatencyBudgetBurn]: {
    meaning:
      'One provider/model misses a responsiveness objective: time to first chunk (streams), time per output token (generation) or duration (embeddings), as `slo_kind` says. These do not grow with the answer\'s length, so a burn means the provider is slower, not that answers got longer.',
    causes: ['Provider queueing or a degraded region', 'Much longer prompts (prefill time)', 'A model change'],
    checks: [
      { what: 'p95 time to first chunk by model', query: ttfcP95 },
      { what: 'p95 time per output token by model', query: quantile(0.95, METRICS.genAiTimePerOutputToken.name, [LABEL.genAiRequestModel], JOB) },
    ],
    mitigation: ['Route to the other provider or a faster tier.', 'Shorten prompts (trim history).'],
  },
  [ALERT.cacheBudgetBurn]: {
    meaning: 'Lookups in one cache (`cache_name`) fail more often than its objective allows; the service falls back to paid model calls.',
    causes: ['Cache backend down or unreachable', 'Timeouts under load'],
    checks: [{ what: 'Lookups by cache and result', query: cacheLookups }],
    mitigation: ['Restore the cache backend (Redis).', 'Check the network to it.'],
  },
  [ALERT.aiErrorRate]: {
    meaning: 'Calls to one AI provider/model fail (server errors, timeouts, connection errors); rate limiting is a separate alert. The service may still answer through failover.',
    causes: ['Provider outage or degraded region', 'Wrong or expired API key (client_error)', 'Network trouble to the provider (connection_error, timeout)'],
    checks: [{ what: 'Errors by type', query: aiErrors }],
    mitigation: ['Check the provider\'s status page.', 'Pin traffic to the other provider until it recovers.', 'Rotate the API key on client errors.'],
  },
  [ALERT.aiRateLimited]: {
    meaning: 'The provider answers 429 to a share of calls: the account\'s rate or token limit is reached.',
    causes: ['A traffic spike', 'Longer prompts using more tokens per minute', 'Another service sharing the account'],
    checks: [{ what: 'Calls per second by model', query: callsPerSecond([LABEL.genAiRequestModel]) }],
    mitigation: ['Spread load over the other provider.', 'Ask the provider for a higher limit.', 'Cache more answers.'],
  },
  [ALERT.aiRateLimitExhaustion]: {
    meaning:
      "At the last 5 minutes' pace, a service consumes more of a provider's rate limit (`limit_type`: requests, tokens, input or output tokens, per `gen_ai_provider_name` and `gen_ai_request_model`) before the limit resets than what remains of it: calls will soon be answered 429. Read from the providers' rate-limit headers of the last response; judged only while less than a quarter of the limit remains, so a quiet service far from its limit never alerts. The pace counts the service's calls from every instance; other services on the same API key draw on the limit too.",
    causes: ['A traffic spike', 'Longer prompts or answers using more tokens per minute', 'Another service or a batch job sharing the API key', 'A lower limit (a new key, a tier change)'],
    checks: [
      { what: 'What remains of each limit', query: rateLimitGauges(METRICS.genAiRateLimitRemaining.name) },
      { what: 'Each limit', query: rateLimitGauges(METRICS.genAiRateLimitLimit.name) },
      { what: 'Seconds until each limit resets', query: `${rateLimitGauges(METRICS.genAiRateLimitReset.name)} - time()` },
      { what: 'Calls per second by model', query: callsPerSecond([LABEL.genAiProviderName, LABEL.genAiRequestModel]) },
    ],
    mitigation: ['Move some traffic to another model or provider before the 429s start.', 'Slow down batch work sharing the key; cache more answers.', "Ask the provider for a higher limit if the pace is the new normal; `AiRateLimited` fires once 429s come."],
  },
  [ALERT.aiModelSubstituted]: {
    meaning:
      'A share of the calls to one requested model (`gen_ai_request_model`) are answered by another (`gen_ai_response_model`): a provider fallback, a router or an alias that now points elsewhere. The calls are priced on the model that answered, so spend and quality follow that model. Aliases resolving to a dated snapshot of the same model are not counted.',
    causes: ['A router or gateway failing over from an overloaded or failing model', 'The provider retired or re-pointed a model alias', 'A configuration change that maps the requested model to another'],
    checks: [
      { what: 'Substitutions per second by requested and served model', query: sumRate(METRICS.genAiModelSubstitutions.name, [LABEL.genAiRequestModel, LABEL.genAiResponseModel], JOB) },
      { what: 'AI errors by provider, model and type', query: aiErrors },
    ],
    mitigation: ['If it is failover, treat the requested model\'s errors first (AiErrorRateHigh, AiRateLimited).', 'If the alias moved, request the model you mean by its full name, or accept the new one and update prices and budgets.', 'Check answer quality and cost on the served model: it may be pricier or weaker.'],
  },
  [ALERT.aiSpendOverBudget]: {
    meaning: 'At the recent pace, AI spend goes over the budget (a day\'s share or the whole month).',
    causes: ['More traffic', 'More tokens per call', 'Premium models used more', 'Cache hit ratio dropped'],
    checks: [{ what: 'USD per hour by model', query: spendByModel }],
    mitigation: budgetSteps,
  },
  [ALERT.aiTenantSpendOverBudget]: {
    meaning:
      "At the last day's pace, one tenant's AI spend (`tenant`) over this month reaches the share of its monthly budget in the `threshold` label (the spec's `budgets.warn_at` warnings, then 100 %). A higher level silences the lower ones in Alertmanager. The projection is the day's pace over all of this month's days (as the app's budget bars), not what the month has spent so far plus the rest: it warns the same whatever the date. Money, not users: a ticket, never a page.",
    causes: ['The tenant has more users or traffic', 'A feature the tenant uses got more expensive (longer prompts, a premium model)', 'A runaway client or loop of that tenant', 'The budget was set before the tenant grew'],
    checks: [
      { what: "The tenant's USD per hour by feature", query: spendBy([LABEL.tenant, LABEL.feature]) },
      { what: "The tenant's tokens per hour by kind", query: `${sumRate(METRICS.genAiAttributedTokens.name, [LABEL.tenant, LABEL.genAiTokenType], { ...JOB, window: '1h' })} * 3600` },
    ],
    mitigation: [
      'Tell the tenant\'s owner (account manager, team lead): the budget is a commercial promise as much as a technical one.',
      'Throttle or cap the tenant (per-tenant rate limit, max tokens per call) if the spend is a runaway.',
      'If the growth is expected, raise the tenant\'s budget under `budgets.tenants` in the SLO spec and regenerate.',
    ],
  },
  [ALERT.aiFeatureSpendOverBudget]: {
    meaning:
      "At the last day's pace, one feature's AI spend (`feature`) over this month reaches the share of its monthly budget in the `threshold` label (the spec's `budgets.warn_at` warnings, then 100 %). A higher level silences the lower ones in Alertmanager. Money, not users: a ticket, never a page.",
    causes: ['More use of the feature', 'A prompt or model change in the feature (more tokens per call, a premium model)', 'Its cache hit ratio dropped'],
    checks: [
      { what: "The feature's USD per hour by tenant", query: spendBy([LABEL.feature, LABEL.tenant]) },
      { what: 'USD per hour by model', query: spendByModel },
    ],
    mitigation: ['Find whether calls or cost per call grew (above), and which tenants drive it.', 'Route the feature\'s cheaper work to a smaller model, cap its tokens per call, or cache more of its answers.', 'If the growth is expected, raise the feature\'s budget under `budgets.features` in the SLO spec and regenerate.'],
  },
  [ALERT.aiSpendSpike]: {
    meaning: 'The last hour cost several times the same hour\'s mean over the previous week.',
    causes: ['A runaway client or loop', 'A prompt change that multiplied tokens', 'Cache outage'],
    checks: [{ what: 'USD per hour by model', query: spendByModel }],
    mitigation: budgetSteps,
  },
  [ALERT.aiUnpricedCalls]: {
    meaning: 'Calls go to a model with no known price: their cost is missing from every spend panel and alert.',
    causes: ['A new or in-house model', 'A model name the price table does not know'],
    checks: [{ what: 'Unpriced calls by model', query: `sum by (${LABEL.genAiRequestModel}) (increase(${METRICS.genAiUnpricedOperations.name}{job="<job>"}[1h]))` }],
    mitigation: ['Configure a price override for the model in the exporter options.'],
  },
  ...ANOMALY_RUNBOOKS,
  [ALERT.cacheHitRatioLow]: {
    meaning: 'One cache hits less than half as often as its owner expects (`expected_hit_ratio` in the SLO spec) or, without an expectation, than over its own last day; misses on the AI answer cache are paid model calls.',
    causes: ['Cache backend down (cache_result="error")', 'A deploy that changed cache keys', 'TTL too short, eviction'],
    checks: [{ what: 'Lookups by cache and result', query: cacheLookups }],
    mitigation: ['Restore the cache backend (Redis).', 'Revert key changes.'],
  },
  [ALERT.dbLatency]: {
    meaning: 'Database queries are slow at p95.',
    causes: ['Lock contention or a missing index', 'Database host saturated'],
    checks: [{ what: 'p95 by operation', query: quantile(0.95, METRICS.dbOperationDuration.name, [LABEL.dbOperationName], JOB) }],
    mitigation: ['Find the slow statement in the traces and index it.', 'Scale the database.'],
  },
  [ALERT.memoryNearLimit]: {
    meaning: 'The process uses most of its memory limit; it will be OOM-killed soon.',
    causes: ['A leak', 'Large responses buffered', 'An in-memory cache without a bound'],
    checks: [{ what: 'Heap used', query: `${RUNTIME_METRIC.heapUsedBytes}{job="<job>"}` }],
    mitigation: ['Restart the instance to buy time.', 'Take a heap snapshot before restarting if it grows steadily.'],
  },
  [ALERT.memoryExhaustion]: {
    meaning: 'At the growth of the last 30 minutes the process reaches its memory limit within 2 hours. A process is judged once it has run for those 30 minutes: the warm-up after a start is not a trend.',
    causes: ['A leak', 'A cache growing without bound'],
    checks: [{ what: 'Resident memory', query: `${RUNTIME_METRIC.residentMemoryBytes}{job="<job>"}` }],
    mitigation: ['Plan a restart; capture a heap snapshot to find the leak.'],
  },
  [ALERT.cpuHigh]: {
    meaning: 'The process uses most of a CPU core; Node.js runs JavaScript on one thread, so latency follows.',
    causes: ['More traffic', 'A hot loop or heavy JSON work'],
    checks: [{ what: 'Event-loop lag p99', query: `${RUNTIME_METRIC.eventLoopLagP99Seconds}{job="<job>"}` }],
    mitigation: ['Scale out (more instances or cluster workers).', 'Profile with --cpu-prof.'],
  },
  [ALERT.eventLoopLag]: {
    meaning: 'The event loop is blocked for long stretches; every request waits.',
    causes: ['Synchronous work (crypto, JSON, regex)', 'CPU saturation', 'GC pauses'],
    checks: [{ what: 'CPU cores used', query: rate(RUNTIME_METRIC.cpuSecondsTotal, JOB) }],
    mitigation: ['Move heavy work to worker threads.', 'Scale out.'],
  },
  [ALERT.targetDown]: {
    meaning: 'Prometheus cannot scrape a target: the service is down or /metrics fails. Other alerts on it are blind.',
    causes: ['Crash or restart loop', 'Network or port change', '/metrics erroring'],
    checks: [{ what: 'Targets and their last error', query: 'up == 0' }],
    mitigation: ['Restart the service; check its logs and the Prometheus targets page for the scrape error.'],
  },
  [ALERT.watchdog]: {
    meaning: 'Always firing by design. A dead-man\'s switch outside the stack expects it every minute; silence from it means the alerting pipeline is broken.',
    causes: ['If the switch complains: Prometheus or Alertmanager down, or the route to it broken'],
    checks: [{ what: 'Rule evaluation failures', query: 'rate(prometheus_rule_evaluation_failures_total[5m])' }],
    mitigation: ['Never silence it. If the switch fires, check Prometheus → Alertmanager → receiver in that order.'],
  },
};
