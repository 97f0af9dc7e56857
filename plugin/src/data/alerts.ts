/**
 * Firing and pending alerts for the Alerts page, read from Grafana's alerting
 * API: the Prometheus-compatible rules of Grafana alerting
 * (`/api/prometheus/grafana/api/v1/rules`) and the Alertmanager datasource's
 * alerts (`/api/alertmanager/<uid>/api/v2/alerts`, a bare array as in
 * Alertmanager's v2 API). An alert in both is shown once.
 */
import { DataProblem } from './errors';
import type { Transport } from './transport';

export const GRAFANA_RULES_PATH = '/api/prometheus/grafana/api/v1/rules';
export const alertmanagerAlertsPath = (uid: string) => `/api/alertmanager/${encodeURIComponent(uid)}/api/v2/alerts`;

export interface RulesResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { groups: Array<{ name: string; rules: Array<{ name: string; state: string; type?: string; labels?: Record<string, string>; alerts?: RuleAlert[] }> }> };
}

export interface RuleAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  status: { state: 'unprocessed' | 'active' | 'suppressed' };
}

export type AlertState = 'firing' | 'pending' | 'suppressed';

export interface AlertRow {
  id: string;
  name: string;
  state: AlertState;
  severity: string;
  summary: string;
  value?: number;
  runbookUrl?: string;
  since?: string;
  source: 'Grafana alerting' | 'Alertmanager';
  labels: Record<string, string>;
}

/** Severity order for sorting: critical first. */
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export interface AlertsResult {
  alerts: AlertRow[];
  /** Sources that could not be read, with the reason (the page still shows the others). */
  failures: Array<{ source: string; message: string }>;
}

export async function fetchAlerts(transport: Transport, alertmanagerUid: string | undefined): Promise<AlertsResult> {
  const failures: AlertsResult['failures'] = [];
  const rules = await transport({ url: GRAFANA_RULES_PATH, method: 'GET' }).catch((error: Error) => ({ status: 0, data: { status: 'error', error: error.message } }));
  const fromRules = rules.status === 200 ? alertsFromRules(rules.data as RulesResponse) : [];
  if (rules.status !== 200) failures.push({ source: 'Grafana alerting', message: errorMessage(rules.data, rules.status) });
  let fromAlertmanager: AlertRow[] = [];
  if (alertmanagerUid) {
    const am = await transport({ url: alertmanagerAlertsPath(alertmanagerUid), method: 'GET' }).catch((error: Error) => ({ status: 0, data: { message: error.message } }));
    if (am.status === 200 && Array.isArray(am.data)) fromAlertmanager = alertsFromAlertmanager(am.data as AlertmanagerAlert[]);
    else failures.push({ source: 'Alertmanager', message: errorMessage(am.data, am.status) });
  }
  if (failures.length === 2 || (failures.length === 1 && !alertmanagerUid)) {
    throw new DataProblem('unreachable', failures.map((f) => `${f.source}: ${f.message}`).join('; '));
  }
  const alerts = [...fromRules, ...fromAlertmanager.filter((a) => !fromRules.some((r) => sameAlert(r, a)))];
  return { alerts: alerts.sort(byUrgency), failures };
}

export function alertsFromRules(response: RulesResponse): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const group of response.data?.groups ?? []) {
    for (const rule of group.rules) {
      for (const alert of rule.alerts ?? []) {
        const state = ruleAlertState(alert.state);
        if (!state) continue;
        const value = alert.value ? Number(alert.value) : undefined;
        rows.push(row(alert.labels, alert.annotations, state, 'Grafana alerting', alert.activeAt, Number.isFinite(value) ? value : undefined));
      }
    }
  }
  return rows;
}

export function alertsFromAlertmanager(alerts: readonly AlertmanagerAlert[]): AlertRow[] {
  return alerts.map((a) => row(a.labels, a.annotations, a.status.state === 'suppressed' ? 'suppressed' : 'firing', 'Alertmanager', a.startsAt));
}

/** Grafana's alert states are capitalised and may carry a reason: "Alerting (NoData)". */
function ruleAlertState(state: string): AlertState | undefined {
  const base = state.split(' ')[0]?.toLowerCase();
  if (base === 'alerting' || base === 'firing') return 'firing';
  if (base === 'pending') return 'pending';
  return undefined;
}

function row(labels: Record<string, string>, annotations: Record<string, string>, state: AlertState, source: AlertRow['source'], since?: string, value?: number): AlertRow {
  return {
    id: alertId(labels),
    name: labels.alertname ?? 'unnamed alert',
    state,
    severity: labels.severity ?? 'none',
    summary: annotations.summary ?? annotations.description ?? '',
    value,
    runbookUrl: annotations.runbook_url,
    since,
    source,
    labels,
  };
}

/** Identity of an alert in a list: its labels, without the ones only Grafana adds. */
export function alertId(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => k !== 'grafana_folder' && !k.startsWith('__'))
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/**
 * The same alert seen by the rules API and by Alertmanager: Alertmanager's
 * copy carries every label of the rule's alert, plus Prometheus' external
 * labels (and without the ones only Grafana adds).
 */
export function sameAlert(fromRules: AlertRow, fromAlertmanager: AlertRow): boolean {
  return Object.entries(fromRules.labels).every(([k, v]) => k === 'grafana_folder' || k.startsWith('__') || fromAlertmanager.labels[k] === v);
}

function byUrgency(a: AlertRow, b: AlertRow): number {
  const state = (s: AlertState) => (s === 'firing' ? 0 : s === 'pending' ? 1 : 2);
  return state(a.state) - state(b.state) || (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || a.name.localeCompare(b.name);
}

function errorMessage(data: unknown, status: number): string {
  const body = data as { message?: string; error?: string } | undefined;
  return body?.message ?? body?.error ?? `HTTP ${status}`;
}
