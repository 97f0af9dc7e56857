/** Every alert rule of the catalogue, in the order they are written out. */
import type { AlertRule } from './alert-rule';
import { AI_ALERTS } from './ai-alerts';
import { HEALTH_ALERTS } from './health-alerts';
import { HTTP_ALERTS } from './http-alerts';
import { RESOURCE_ALERTS } from './resource-alerts';
import { SLO_ALERTS } from './slo-alerts';
import { SPEND_ALERTS } from './spend-alerts';

export const ALERT_RULES: readonly AlertRule[] = [...SLO_ALERTS, ...HTTP_ALERTS, ...AI_ALERTS, ...SPEND_ALERTS, ...RESOURCE_ALERTS, ...HEALTH_ALERTS];
