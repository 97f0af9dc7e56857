/**
 * Grafana's alerting routes, computed from a real Prometheus and Alertmanager:
 * `/api/prometheus/grafana/api/v1/rules` in Grafana's shape (alert states
 * capitalised, `__*` labels hidden, `totals`, alerting rules only) from
 * Prometheus' `/api/v1/rules`; `/api/alertmanager/<uid>/api/v2/alerts` is
 * Alertmanager's own bare array, passed through.
 */
import type { RulesResponse } from '../../src/data/alerts';
import type { Answer } from './dsQueryTranslate';

interface PromRule {
  name: string;
  type: 'alerting' | 'recording';
  state?: 'inactive' | 'pending' | 'firing';
  query: string;
  duration?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  health: string;
  lastError?: string;
  alerts?: Array<{ labels: Record<string, string>; annotations: Record<string, string>; state: 'pending' | 'firing'; activeAt: string; value: string }>;
}
interface PromRulesResponse {
  status: string;
  data?: { groups: Array<{ name: string; file: string; interval: number; rules: PromRule[] }> };
}

const GRAFANA_ALERT_STATE = { firing: 'Alerting', pending: 'Pending' } as const;

export async function answerGrafanaRules(prometheusUrl: string): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${prometheusUrl}/api/v1/rules`);
  } catch (error) {
    console.error('preview server: reading Prometheus rules:', error);
    return { status: 500, body: { status: 'error', errorType: 'server_error', error: 'failed to read rules from Prometheus' } };
  }
  const prom = (await response.json()) as PromRulesResponse;
  const totals: Record<string, number> = {};
  const groups = (prom.data?.groups ?? []).map((group) => ({
    name: group.name,
    file: group.file,
    folderUid: '',
    interval: group.interval,
    rules: group.rules
      .filter((rule) => rule.type === 'alerting')
      .map((rule) => {
        const state = rule.state ?? 'inactive';
        totals[state] = (totals[state] ?? 0) + 1;
        return {
          state,
          name: rule.name,
          query: rule.query,
          duration: rule.duration ?? 0,
          annotations: rule.annotations ?? {},
          labels: visible(rule.labels ?? {}),
          health: rule.health,
          ...(rule.lastError ? { lastError: rule.lastError } : {}),
          type: 'alerting',
          alerts: (rule.alerts ?? []).map((alert) => ({
            labels: visible(alert.labels),
            annotations: alert.annotations,
            state: GRAFANA_ALERT_STATE[alert.state],
            activeAt: alert.activeAt,
            value: alert.value,
          })),
        };
      }),
  }));
  const body: RulesResponse & { data: { totals: Record<string, number> } } = { status: 'success', data: { groups, totals } };
  return { status: 200, body };
}

export async function answerAlertmanagerAlerts(alertmanagerUrl: string | undefined, query: string): Promise<Answer> {
  if (!alertmanagerUrl) return { status: 404, body: { message: 'datasource not found' } };
  try {
    const response = await fetch(`${alertmanagerUrl}/api/v2/alerts${query}`);
    // Alertmanager's error answers are plain text about its internals: the page gets the status, the log gets the text.
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return { status: response.status, body: await response.json() };
  } catch (error) {
    console.error('preview server: reading Alertmanager alerts:', error);
    return { status: 502, body: { message: 'failed to read alerts from Alertmanager' } };
  }
}

function visible(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
}
