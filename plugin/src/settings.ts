/**
 * The app's settings (plugin `jsonData`, shape `AppSettings` from the
 * conventions, shared with provisioning): defaults for missing fields, and the
 * validation the config page shows before saving.
 */
import { DATASOURCE_UID, DEFAULT_MONTHLY_BUDGET_USD, HEALTH_COMPONENTS, SLO, type AppSettings, type HealthComponentId } from '@modelwatch/exporter/conventions';

export interface ResolvedSettings {
  prometheusUid: string;
  alertmanagerUid: string;
  monthlyBudgetUsd: number;
  slo: { availability: number; latency: number };
  healthWeights: Record<HealthComponentId, number>;
}

export function resolveSettings(jsonData: AppSettings | undefined): ResolvedSettings {
  const settings = jsonData ?? {};
  return {
    prometheusUid: settings.prometheusUid || DATASOURCE_UID.prometheus,
    alertmanagerUid: settings.alertmanagerUid || DATASOURCE_UID.alertmanager,
    monthlyBudgetUsd: settings.monthlyBudgetUsd ?? DEFAULT_MONTHLY_BUDGET_USD,
    slo: {
      availability: settings.slo?.availability ?? SLO.availability.target,
      latency: settings.slo?.latency ?? SLO.latency.target,
    },
    healthWeights: Object.fromEntries(HEALTH_COMPONENTS.map((c) => [c.id, settings.healthWeights?.[c.id] ?? c.weight])) as Record<HealthComponentId, number>,
  };
}

/** Problems with `settings`, keyed by field; empty when they can be saved. */
export function validateSettings(settings: ResolvedSettings): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!settings.prometheusUid.trim()) errors.prometheusUid = 'Pick the Prometheus datasource the pages query.';
  if (!Number.isFinite(settings.monthlyBudgetUsd) || settings.monthlyBudgetUsd <= 0) {
    errors.monthlyBudgetUsd = 'The monthly budget must be a positive number of US dollars.';
  }
  for (const key of ['availability', 'latency'] as const) {
    const target = settings.slo[key];
    if (!(target > 0 && target < 1)) errors[`slo.${key}`] = `The ${key} SLO target must be a ratio between 0 and 1, e.g. 0.999 for 99.9 %.`;
  }
  for (const component of HEALTH_COMPONENTS) {
    const weight = settings.healthWeights[component.id];
    if (!Number.isFinite(weight) || weight < 0) errors[`healthWeights.${component.id}`] = `The ${component.title} weight must be 0 or more.`;
  }
  if (Object.values(settings.healthWeights).every((w) => !(w > 0))) errors.healthWeights = 'At least one health weight must be above 0.';
  return errors;
}
