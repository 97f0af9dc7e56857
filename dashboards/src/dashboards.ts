/** Every Modelwatch dashboard, in the order the header links list them. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboard, type DashboardDefinition } from './define-dashboard';
import { aiModels } from './dashboards/ai-models';
import { cache } from './dashboards/cache';
import { httpRuntime } from './dashboards/http-runtime';
import { serviceHealth } from './dashboards/service-health';

export const DASHBOARD_DEFINITIONS: readonly DashboardDefinition[] = [serviceHealth, aiModels, cache, httpRuntime];

export interface BuiltDashboard {
  uid: string;
  model: dashboard.Dashboard;
}

/** The dashboards as Grafana dashboard JSON models. */
export function buildDashboards(): BuiltDashboard[] {
  return DASHBOARD_DEFINITIONS.map((definition) => ({ uid: definition.uid, model: buildDashboard(definition, DASHBOARD_DEFINITIONS) }));
}
