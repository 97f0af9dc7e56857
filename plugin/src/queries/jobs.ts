/** The services the job selector offers: every job with Modelwatch HTTP or AI metrics. */
import { METRICS, SERVICE_LABEL } from '@modelwatch/conventions';

export const jobsTarget = {
  expr: `group by (${SERVICE_LABEL}) (${METRICS.httpServerRequestDuration.name}_count or ${METRICS.genAiOperationDuration.name}_count)`,
  instant: true,
} as const;
