/**
 * Firing and pending alerts for the Alerts page, read from Grafana's alerting
 * API: the Prometheus-compatible rules of Grafana alerting
 * (`/api/prometheus/grafana/api/v1/rules`) and the Alertmanager datasource's
 * alerts (`/api/alertmanager/<uid>/api/v2/alerts`, a bare array as in
 * Alertmanager's v2 API). Copies of one alert (from both sources, or the
 * critical and warning of one objective's burn alert) are shown as one row.
 * The Watchdog is not an alert to act on: it tells whether the pipeline works.
 */
import { ALERT } from '@modelwatch/conventions';
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
  /** Lower severities of the same alert folded into this row (a burn alert's ticket under its page). */
  otherSeverities: string[];
}

/** Severity order for sorting: critical first. */
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

export interface AlertsResult {
  /** Every copy read, the Watchdog's excepted. */
  alerts: AlertRow[];
  /** Sources that could not be read, with the reason (the page still shows the others). */
  failures: Array<{ source: string; message: string }>;
  pipeline: PipelineHealth;
}

/**
 * The alerting pipeline as the Watchdog (always firing) shows it: `healthy`
 * when Alertmanager has it, `starting` while it has just started firing,
 * `undelivered` when only the rules fire it, `unchecked` when Alertmanager
 * could not be read, `broken` when nothing fires it.
 */
export interface PipelineHealth {
  state: 'healthy' | 'starting' | 'undelivered' | 'unchecked' | 'broken';
  message: string;
}

/** Prometheus sends a firing alert when it starts firing and again every minute (its default resend delay): two chances. */
export const WATCHDOG_DELIVERY_GRACE_MS = 2 * 60_000;

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
  const all = [...fromRules, ...fromAlertmanager];
  const alertmanagerRead = Boolean(alertmanagerUid) && !failures.some((f) => f.source === 'Alertmanager');
  return {
    alerts: all.filter((a) => a.name !== ALERT.watchdog),
    failures,
    pipeline: pipelineHealth(all.filter((a) => a.name === ALERT.watchdog && a.state === 'firing'), alertmanagerRead, Date.now()),
  };
}

export function pipelineHealth(watchdogs: readonly AlertRow[], alertmanagerRead: boolean, now: number): PipelineHealth {
  if (watchdogs.some((w) => w.source === 'Alertmanager')) return { state: 'healthy', message: 'Alerting pipeline healthy: watchdog firing as designed.' };
  if (watchdogs.length === 0) {
    return {
      state: 'broken',
      message: 'No watchdog firing: the alert rules are not loaded or not evaluated, so no alert can fire. Check that Prometheus loads the generated rules.',
    };
  }
  if (!alertmanagerRead) return { state: 'unchecked', message: 'Watchdog firing as designed; Alertmanager could not be read, so delivery is unchecked.' };
  const firstFired = Math.min(...watchdogs.map((w) => (w.since ? Date.parse(w.since) : -Infinity)));
  if (now - firstFired < WATCHDOG_DELIVERY_GRACE_MS) return { state: 'starting', message: 'The watchdog has just started firing; waiting for it to reach Alertmanager.' };
  return {
    state: 'undelivered',
    message: "The watchdog fires but has not reached Alertmanager: notifications are not being delivered. Check Prometheus' alertmanagers and Alertmanager.",
  };
}

/**
 * The rows to show for some states: one per alert, its highest severity (the
 * most urgent state among those), most urgent first.
 */
export function alertRows(alerts: readonly AlertRow[], states: readonly AlertState[]): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const alert of alerts.filter((a) => states.includes(a.state)).sort(bySeverity)) {
    const shown = rows.find((row) => sameAlert(row, alert));
    if (!shown) rows.push({ ...alert, otherSeverities: [] });
    else if (alert.severity !== shown.severity && !shown.otherSeverities.includes(alert.severity)) shown.otherSeverities.push(alert.severity);
  }
  return rows.sort(byUrgency);
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
    otherSeverities: [],
  };
}

const onlyGrafana = (key: string) => key === 'grafana_folder' || key.startsWith('__');

/** Identity of an alert copy in a list: its labels, without the ones only Grafana adds. */
export function alertId(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => !onlyGrafana(k))
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/**
 * Two copies of one alert: the same labels but for the severity (a burn
 * alert's page and ticket copies) and the ones only Grafana adds. One copy may
 * carry more: Alertmanager's adds Prometheus' external labels.
 */
export function sameAlert(a: AlertRow, b: AlertRow): boolean {
  const within = (x: AlertRow, y: AlertRow) => Object.entries(x.labels).every(([k, v]) => k === 'severity' || onlyGrafana(k) || y.labels[k] === v);
  return within(a, b) || within(b, a);
}

const stateRank = (s: AlertState) => (s === 'firing' ? 0 : s === 'pending' ? 1 : 2);
const severityRank = (severity: string) => SEVERITY_RANK[severity] ?? 3;

function bySeverity(a: AlertRow, b: AlertRow): number {
  return severityRank(a.severity) - severityRank(b.severity) || stateRank(a.state) - stateRank(b.state);
}

function byUrgency(a: AlertRow, b: AlertRow): number {
  return stateRank(a.state) - stateRank(b.state) || severityRank(a.severity) - severityRank(b.severity) || a.name.localeCompare(b.name);
}

function errorMessage(data: unknown, status: number): string {
  const body = data as { message?: string; error?: string } | undefined;
  return body?.message ?? body?.error ?? `HTTP ${status}`;
}
