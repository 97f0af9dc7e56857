/** Every alert rule of the catalogue for a spec's services, in the order they are written out. */
import type { SemconvMode } from '@modelwatch/conventions';
import type { ServiceObjectives } from '../slo-spec/objectives';
import type { AlertRule } from './alert-rule';
import { aiAlerts } from './ai-alerts';
import { ANOMALY_ALERTS } from './anomaly-alerts';
import { META_ALERTS } from './meta-alerts';
import { RESOURCE_ALERTS, cacheAlerts } from './resource-alerts';
import { sloAlerts } from './slo-alerts';
import { SPEND_ALERTS, attributedBudgetAlerts, budgetAlerts } from './spend-alerts';

/** `mode`: the GenAI semconv names the exporters write, which the AI alerts read. */
export function alertRules(services: readonly ServiceObjectives[], mode: SemconvMode = 'legacy'): AlertRule[] {
  return [...sloAlerts(services), ...aiAlerts(mode), ...budgetAlerts(services), ...attributedBudgetAlerts(services), ...SPEND_ALERTS, ...ANOMALY_ALERTS, ...cacheAlerts(services), ...RESOURCE_ALERTS, ...META_ALERTS];
}
