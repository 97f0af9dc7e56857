/** Every Modelwatch dashboard, in the order the header links list them. */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { SemconvMode } from '@modelwatch/conventions';
import { buildDashboard, type DashboardDefinition } from './define-dashboard';
import { aiModels } from './dashboards/ai-models';
import { cache } from './dashboards/cache';
import { httpRuntime } from './dashboards/http-runtime';
import { serviceHealth } from './dashboards/service-health';

/** The dashboards, reading the GenAI names the exporters write in `mode`. */
export function dashboardDefinitions(mode: SemconvMode = 'legacy'): DashboardDefinition[] {
  return [serviceHealth(mode), aiModels(mode), cache, httpRuntime];
}

export interface BuiltDashboard {
  uid: string;
  model: dashboard.Dashboard;
}

/** The dashboards as Grafana dashboard JSON models, for exporters writing the GenAI names of `mode` (the committed ones: legacy). */
export function buildDashboards(mode: SemconvMode = 'legacy'): BuiltDashboard[] {
  const definitions = dashboardDefinitions(mode);
  return definitions.map((definition) => ({ uid: definition.uid, model: buildDashboard(definition, definitions) }));
}
