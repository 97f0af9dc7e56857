/** Every alert rule of the catalogue for a spec's services, in the order they are written out. */
import type { ServiceObjectives } from '../slo-spec/objectives';
import type { AlertRule } from './alert-rule';
import { AI_ALERTS } from './ai-alerts';
import { META_ALERTS } from './meta-alerts';
import { RESOURCE_ALERTS, cacheAlerts } from './resource-alerts';
import { sloAlerts } from './slo-alerts';
import { SPEND_ALERTS, attributedBudgetAlerts, budgetAlerts } from './spend-alerts';

export function alertRules(services: readonly ServiceObjectives[]): AlertRule[] {
  return [...sloAlerts(services), ...AI_ALERTS, ...budgetAlerts(services), ...attributedBudgetAlerts(services), ...SPEND_ALERTS, ...cacheAlerts(services), ...RESOURCE_ALERTS, ...META_ALERTS];
}
