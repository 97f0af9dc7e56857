/** The services the job selector offers: every job with Modelwatch HTTP or AI metrics. */
import { METRICS, SERVICE_LABEL, genAiMetricNames, samplesOf, selector } from '@modelwatch/conventions';

/** The calls of every semconv mode: v0.1's inference durations beside the operation durations, which legacy mode fills alone. */
const aiCalls = samplesOf(genAiMetricNames('latest').callDuration, '_count');

export const jobsTarget = {
  expr: `group by (${SERVICE_LABEL}) (${METRICS.httpServerRequestDuration.name}_count or ${selector(aiCalls.metric, {}, aiCalls.matchers)})`,
  instant: true,
} as const;
