/**
 * The local stack with the alert rules in the fast timing profile: Prometheus
 * scraping and evaluating every second, Alertmanager grouping within a second
 * or two, the demo under steady traffic, notifications delivered to the
 * loopback sink through Alertmanager's real PagerDuty and Slack integrations.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SLO_LABEL, SLO_RECORDING_RULE, escapeRegex, promString } from '@modelwatch/conventions';
import { startStack, withQuietHours, type Stack, type StackOptions } from '@modelwatch/stack';
import { waitFor, type ConfigObject, type Delivery, type PrometheusInstance } from '@modelwatch/testkit';
import { DEMO_SPEC, prometheusRuleFiles } from '../generate';
import { REPO_ROOT } from '../repo';
import { loadSpec } from '../slo-spec/load';
import { FAST } from '../profile';
import type { FaultScenario } from './fault-scenarios';

/** Intervals of the fast stack, for the detection-time floor. */
export const FAST_TIMING = { scrapeSeconds: 1, evaluationSeconds: 1, groupWait: '1s', groupInterval: '2s' } as const;

/** The fake models at realistic latency: the demo's objectives must hold there, not only at a flattering speed. */
const TIME_SCALE = 1;

/** What the waits read: the alerts firing, and one value of a query. */
export type AlertReader = Pick<PrometheusInstance, 'alerts' | 'queryValue'>;

export interface AlertingStack {
  stack: Stack;
  /** Prometheus; on the scale path, vmalert's alerts and VictoriaMetrics' queries. */
  alerts: AlertReader;
  injectFault(fault: Record<string, unknown>): Promise<{ id: string }>;
  healFault(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * What a live test may change of the stack: its Alertmanager topology, Prometheus' TSDB (or the scale path instead), the Alertmanager config (after
 * the fast timing), fixed ports, and more environment for the demo (e.g. its failover webhook's token).
 */
export type AlertingStackOptions = Pick<StackOptions, 'alertmanagerHa' | 'prometheusDataDir' | 'editAlertmanagerConfig' | 'ports' | 'scale'> & { demoEnv?: Readonly<Record<string, string>> };

export async function startAlertingStack(options: AlertingStackOptions = {}): Promise<AlertingStack> {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-alerting-'));
  const rules = prometheusRuleFiles(loadSpec(join(REPO_ROOT, DEMO_SPEC)), FAST);
  writeFileSync(join(dir, 'recording-rules.yml'), rules.recording);
  writeFileSync(join(dir, 'alert-rules.yml'), rules.alerts);
  let stack: Stack;
  try {
    stack = await startStack({
      ...options,
      // The alert scenarios judge the alerts under the router's own per-call failover: the failover webhook (which
      // npm start turns on) would take a failing model out of the traffic and change what they measure. The
      // failover live test turns it on with its own token.
      demo: { timeScale: TIME_SCALE, env: { FAILOVER_WEBHOOK_TOKEN: '', ...options.demoEnv } },
      traffic: { users: 10, duration: '30m', loop: true },
      alertmanagerTiming: { group_wait: FAST_TIMING.groupWait, group_interval: FAST_TIMING.groupInterval },
      // Info alerts must reach the low-priority channel at night and at weekends too.
      editAlertmanagerConfig: (config: ConfigObject) => (options.editAlertmanagerConfig ?? ((same: ConfigObject) => same))(withQuietHours(config, 'never')),
      editPrometheusConfig: (config: ConfigObject) => ({
        ...config,
        global: { ...(config.global as ConfigObject), scrape_interval: `${FAST_TIMING.scrapeSeconds}s`, scrape_timeout: '900ms', evaluation_interval: `${FAST_TIMING.evaluationSeconds}s` },
        rule_files: [join(dir, '*.yml')],
      }),
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  if (stack.skipped.length > 0) {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the alerting stack needs every part: ${stack.skipped.map((s) => `${s.part} (${s.reason})`).join('; ')}`);
  }
  const demo = stack.demo!;
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${demo.url}/admin/faults${path}`, {
      method,
      headers: { authorization: `Bearer ${demo.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} /admin/faults${path} → ${response.status}: ${await response.text()}`);
    return response.status === 204 ? undefined : ((await response.json()) as { id: string });
  };
  return {
    stack,
    alerts: stack.prometheus ?? scaleReader(stack),
    injectFault: async (fault) => (await admin('POST', '', { durationSeconds: 600, ...fault }))!,
    healFault: async (id) => void (await admin('DELETE', `/${id}`)),
    stop: async () => {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function scaleReader(stack: Stack): AlertReader {
  const { vmalert, victoriaMetrics } = stack.scale!;
  return {
    alerts: () => vmalert.alerts(),
    async queryValue(expr, time) {
      const result = await victoriaMetrics.query(expr, time);
      if (result.length > 1) throw new Error(`VictoriaMetrics query ${expr}: expected at most one series, got ${result.length}`);
      return result[0] === undefined ? undefined : Number(result[0].value[1]);
    },
  };
}

/** Does this delivery notify about `alert` firing (or resolved) through the scenario's integration? */
export function notifies(delivery: Delivery, scenario: FaultScenario, status: 'firing' | 'resolved'): boolean {
  if (scenario.via.kind === 'pagerduty') {
    return delivery.kind === 'pagerduty' && delivery.event?.payload?.class === scenario.alert && delivery.event.event_action === (status === 'firing' ? 'trigger' : 'resolve');
  }
  if (delivery.kind !== 'slack' || delivery.channel !== scenario.via.channel) return false;
  const title = delivery.message?.attachments[0]?.title ?? '';
  return title.includes(` ${scenario.alert} `) && title.startsWith(status === 'firing' ? '[FIRING' : '[RESOLVED');
}

/**
 * Waits until no alert of `names` (with these labels, when given) is active: the
 * stack's warm-up, or the previous fault, is over.
 */
export async function waitUntilQuiet(reader: AlertReader, names: readonly string[], timeoutMs: number, labels: Readonly<Record<string, string>> = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const active = (await reader.alerts()).filter((a) => names.includes(a.labels.alertname ?? '') && Object.entries(labels).every(([k, v]) => a.labels[k] === v));
    if (active.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`still active after ${timeoutMs} ms:\n${active.map((a) => `${JSON.stringify(a.labels)} ${a.state} since ${a.activeAt}`).join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Waits until the objectives' short-window (5m, or its fast-profile stand-in) burn rate over these series is back within budget. */
export async function waitUntilWithinBudget(reader: AlertReader, slo: NonNullable<FaultScenario['slo']>, timeoutMs: number): Promise<void> {
  const matchers = [`${SLO_LABEL.name}=~${promString(slo.names.map(escapeRegex).join('|'))}`, `${SLO_LABEL.window}="5m"`, ...Object.entries(slo.series ?? {}).map(([k, v]) => `${k}=${promString(v)}`)];
  const query = `max(${SLO_RECORDING_RULE.burnRate}{${matchers.join(',')}})`;
  await waitFor(async () => {
    const burn = await reader.queryValue(query);
    return burn !== undefined && burn <= 1;
  }, timeoutMs, { description: `${query} back to at most 1` });
}
