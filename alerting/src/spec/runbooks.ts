/**
 * Runbook content per alert: what it means, likely causes, first checks and
 * mitigation. `npm run alerts` writes alerting/runbooks/<alert>.md from it,
 * with the alert's own query as the first check.
 */
import { ALERT, LABEL, METRICS, RUNTIME_METRIC, type AlertName } from '@modelwatch/exporter/conventions';

export interface Runbook {
  meaning: string;
  causes: readonly string[];
  /** Extra first checks after the alert's own query. */
  checks: readonly { what: string; query: string }[];
  mitigation: readonly string[];
}

const http = METRICS.httpServerRequestDuration.name;
const ai = METRICS.genAiOperationDuration.name;
const byRouteStatus = `sum by (${LABEL.httpRoute}, ${LABEL.httpResponseStatusCode}) (rate(${http}_count{job="<job>"}[5m]))`;
const aiErrors = `sum by (${LABEL.genAiProviderName}, ${LABEL.genAiRequestModel}, ${LABEL.errorType}) (rate(${ai}_count{job="<job>", ${LABEL.errorType}!=""}[5m]))`;
const slowRoutes = `histogram_quantile(0.95, sum by (le, ${LABEL.httpRoute}) (rate(${http}_bucket{job="<job>"}[5m])))`;
const aiP95 = `histogram_quantile(0.95, sum by (le, ${LABEL.genAiRequestModel}) (rate(${ai}_bucket{job="<job>"}[5m])))`;
const spendByModel = `sum by (${LABEL.genAiProviderName}, ${LABEL.genAiRequestModel}) (rate(${METRICS.genAiCost.name}{job="<job>"}[1h])) * 3600`;
const budgetSteps = ['Find the model or route driving spend (above) and whether traffic or tokens per call grew.', 'Route cheaper work to the fast tier, cap tokens per call, or raise the answer cache TTL.', 'If the growth is expected, raise the budget in alerting/src/spec/settings.ts and regenerate.'];

export const RUNBOOKS: Record<AlertName, Runbook> = {
  [ALERT.availabilityBudgetBurn]: {
    meaning: 'Requests answered 5xx are spending the availability error budget much faster than the SLO allows. Critical: at this pace the month\'s budget is gone in days; warning: in weeks.',
    causes: ['Both AI providers failing, so /chat answers 502', 'A bad deploy or a failing dependency (database, cache backend) throwing', 'Overload: 503 from the service'],
    checks: [{ what: '5xx by route and status', query: byRouteStatus }, { what: 'AI errors by provider, model and type', query: aiErrors }],
    mitigation: ['Roll back the last deploy if the errors started with it.', 'If one provider fails, pin traffic to the other one.', 'Shed load or scale out when the service is overloaded.'],
  },
  [ALERT.latencyBudgetBurn]: {
    meaning: 'Too many requests are slower than the latency SLO threshold; the latency error budget burns faster than the SLO allows.',
    causes: ['A slow AI provider or model (premium tier, long prompts)', 'Answer cache misses (cold or broken cache)', 'Slow database queries, CPU saturation or event-loop lag'],
    checks: [{ what: 'p95 by route', query: slowRoutes }, { what: 'AI p95 by model', query: aiP95 }],
    mitigation: ['Move traffic off the slow model or provider.', 'Fix the cache if its hit ratio dropped.', 'Scale out if CPU or event-loop lag is high.'],
  },
  [ALERT.httpErrorRate]: {
    meaning: 'A share of HTTP requests is answered 5xx right now (warning above 1 %, critical above 5 %).',
    causes: ['Both AI providers failing (502)', 'An exception in a handler after a deploy', 'A failing database'],
    checks: [{ what: '5xx by route and status', query: byRouteStatus }],
    mitigation: ['Roll back a bad deploy.', 'Look at the service logs (JSON lines with trace ids) for the failing route.'],
  },
  [ALERT.httpLatency]: {
    meaning: 'The service-wide p95 HTTP latency is over the SLO threshold (warning) or far over it (critical).',
    causes: ['Slow AI calls', 'Cache misses', 'Slow database, CPU saturation'],
    checks: [{ what: 'p95 by route', query: slowRoutes }, { what: 'AI p95 by model', query: aiP95 }],
    mitigation: ['Route away from the slow model or provider.', 'Scale out if the process is saturated.'],
  },
  [ALERT.httpRouteLatency]: {
    meaning: 'One route\'s p95 latency is high although the service-wide p95 may look fine.',
    causes: ['The route calls a slow model or a slow query', 'A large payload or a missing index'],
    checks: [{ what: 'Requests per second of the route by status', query: byRouteStatus }],
    mitigation: ['Profile the route with its traces; cache or move its AI calls to a faster model.'],
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
    checks: [{ what: 'Calls per second by model', query: `sum by (${LABEL.genAiRequestModel}) (rate(${ai}_count{job="<job>"}[5m]))` }],
    mitigation: ['Spread load over the other provider.', 'Ask the provider for a higher limit.', 'Cache more answers.'],
  },
  [ALERT.aiLatency]: {
    meaning: 'Calls to one provider/model take long at p95.',
    causes: ['Provider degradation', 'Longer outputs (max tokens)', 'A premium model used where a fast one would do'],
    checks: [{ what: 'AI p95 by model', query: aiP95 }],
    mitigation: ['Route to the fast tier or the other provider.', 'Stream answers so users see the first tokens early.'],
  },
  [ALERT.aiTimeToFirstToken]: {
    meaning: 'Streaming answers from one provider/model take long to start.',
    causes: ['Provider queueing', 'Very long prompts'],
    checks: [{ what: 'p95 time to first chunk by model', query: `histogram_quantile(0.95, sum by (le, ${LABEL.genAiRequestModel}) (rate(${METRICS.genAiTimeToFirstChunk.name}_bucket{job="<job>"}[5m])))` }],
    mitigation: ['Route streaming to the other provider.', 'Shorten prompts (trim history).'],
  },
  [ALERT.aiSpendOverBudget]: {
    meaning: 'At the recent pace, AI spend goes over the budget (a day\'s share or the whole month).',
    causes: ['More traffic', 'More tokens per call', 'Premium models used more', 'Cache hit ratio dropped'],
    checks: [{ what: 'USD per hour by model', query: spendByModel }],
    mitigation: budgetSteps,
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
  [ALERT.cacheHitRatioLow]: {
    meaning: 'The service\'s caches hit far less than usual; misses on the AI answer cache are paid model calls.',
    causes: ['Cache backend down (cache_result="error")', 'A deploy that changed cache keys', 'TTL too short, eviction'],
    checks: [{ what: 'Lookups by cache and result', query: `sum by (${LABEL.cacheName}, ${LABEL.cacheResult}) (rate(${METRICS.cacheRequests.name}{job="<job>"}[5m]))` }],
    mitigation: ['Restore the cache backend (Redis).', 'Revert key changes.'],
  },
  [ALERT.dbLatency]: {
    meaning: 'Database queries are slow at p95.',
    causes: ['Lock contention or a missing index', 'Database host saturated'],
    checks: [{ what: 'p95 by operation', query: `histogram_quantile(0.95, sum by (le, ${LABEL.dbOperationName}) (rate(${METRICS.dbOperationDuration.name}_bucket{job="<job>"}[5m])))` }],
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
    checks: [{ what: 'CPU cores used', query: `rate(${RUNTIME_METRIC.cpuSecondsTotal}{job="<job>"}[5m])` }],
    mitigation: ['Move heavy work to worker threads.', 'Scale out.'],
  },
  [ALERT.healthScoreLow]: {
    meaning: 'The 0–100 health score is in the critical band (warning below 70, critical below 50). The Overview page names the worst components.',
    causes: ['Whatever drives the worst components: errors, latency, AI failures, cache, saturation'],
    checks: [{ what: 'Component scores', query: 'modelwatch:health_component:score{job="<job>"}' }],
    mitigation: ['Follow the runbook of the component alert that fires alongside.'],
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
