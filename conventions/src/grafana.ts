/**
 * Identifiers shared by the Grafana side of the kit: the app plugin, the
 * dashboards, the provisioning files and the alert links all point at each
 * other through these, so a rename happens in one place.
 */
import type { SemconvMode } from './semconv';

/** The app plugin's id (plugin.json `id`). */
export const APP_PLUGIN_ID = 'modelwatch-health-app';

/** Pages of the app plugin, as paths under `/a/<APP_PLUGIN_ID>/`. */
export const APP_PAGES = {
  overview: 'overview',
  aiModels: 'ai-models',
  cache: 'cache',
  alerts: 'alerts',
} as const;
export type AppPage = (typeof APP_PAGES)[keyof typeof APP_PAGES];

/** URL path of an app page inside Grafana. */
export function appPagePath(page: AppPage): string {
  return `/a/${APP_PLUGIN_ID}/${page}`;
}

/** Datasource uids the provisioning files create and everything else refers to. */
export const DATASOURCE_UID = {
  prometheus: 'modelwatch-prometheus',
  alertmanager: 'modelwatch-alertmanager',
  tempo: 'modelwatch-tempo',
} as const;

/** Stable dashboard uids (links and alert annotations use them). */
export const DASHBOARD_UID = {
  serviceHealth: 'modelwatch-service-health',
  aiModels: 'modelwatch-ai-models',
  cache: 'modelwatch-cache',
  httpRuntime: 'modelwatch-http-runtime',
} as const;

/**
 * Folder the provisioned dashboards and Grafana-managed alert rules live in. Grafana's alerting provisioning
 * creates it by `title` (with a uid of Grafana's choosing) and the dashboard provider finds it by title, so the
 * two share one folder; `uid` is the tag of the dashboards, not the folder's uid.
 */
export const GRAFANA_FOLDER = { uid: 'modelwatch', title: 'Modelwatch' } as const;

/** Monthly AI budget of a service whose SLO spec sets none (USD). */
export const DEFAULT_MONTHLY_BUDGET_USD = 500;

/**
 * The app plugin's settings (plugin `jsonData`), written by its config page and
 * by provisioning. Every field is optional; a missing one takes the default from
 * these conventions.
 */
export interface AppSettings {
  /** Uid of the Prometheus datasource the pages query. */
  prometheusUid?: string;
  /** Uid of the Alertmanager datasource the Alerts page reads (Grafana-managed alerts are read too). */
  alertmanagerUid?: string;
  /** Uid of the Tempo datasource the exemplars of latency charts link to; without it, exemplars show without a trace link. */
  tempoUid?: string;
  /** The GenAI metric names the exporters write (their `semconv` option), which the pages query; legacy when unset. */
  semconv?: SemconvMode;
}
