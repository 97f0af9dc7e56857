import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerInstance, checkConfig, type ConfigObject, type Delivery, type NotificationSink, type PagerDutyDelivery, type PostableAlert, readYamlFile, routesTest, type SlackDelivery, startAlertmanager, startNotificationSink, templateRender } from '@modelwatch/testkit';
import { REPO_PATHS } from './repo';
import { alertmanagerConfigForRun, withQuietHours } from './stack-config';

/** The repo's routing and receivers, with seconds-long grouping timers so a resolve arrives within the test. */
const FAST = { group_wait: '1s', group_interval: '2s' };

/**
 * A sink and an Alertmanager with the repo's config delivering to it. Quiet hours off by
 * default: what reaches the low-priority channel must not depend on the time of day.
 */
async function startPair(quietHours: 'never' | 'always' = 'never'): Promise<{ sink: NotificationSink; alertmanager: AlertmanagerInstance; stop(): Promise<void> }> {
  const sink = await startNotificationSink();
  const forRun: ConfigObject = alertmanagerConfigForRun(readYamlFile(REPO_PATHS.alertmanagerConfig), REPO_PATHS.alertmanagerConfig, sink.url, FAST);
  const alertmanager = await startAlertmanager({ config: withQuietHours(forRun, quietHours) }).catch(async (error: unknown) => {
    await sink.stop();
    throw error;
  });
  return { sink, alertmanager, stop: async () => void (await Promise.all([alertmanager.stop(), sink.stop()])) };
}

const alert = (alertname: string, severity: string, extra: Partial<PostableAlert> = {}): PostableAlert => ({
  labels: { alertname, severity, job: 'demo', instance: '127.0.0.1:8080' },
  annotations: { summary: `${alertname} summary`, description: 'measured 0.42' },
  ...extra,
});
const isPage = (name: string, action?: string) => (d: Delivery): d is PagerDutyDelivery =>
  d.kind === 'pagerduty' && d.valid && (d.event?.payload?.summary.includes(name) ?? false) && (action === undefined || d.event?.event_action === action);
const isSlack = (name: string, channel: string, prefix = '[FIRING') => (d: Delivery): d is SlackDelivery =>
  d.kind === 'slack' && d.valid && d.channel === channel && (d.message?.attachments[0]?.title?.startsWith(prefix) ?? false) && (d.message?.attachments[0]?.title?.includes(name) ?? false);

describe('config/alertmanager.yml', () => {
  it('passes amtool check-config', async () => {
    const result = await checkConfig(REPO_PATHS.alertmanagerConfig);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it.each([
    ['critical', ['pagerduty-and-slack']],
    ['warning', ['slack-alerts']],
    ['info', ['slack-low-priority']],
    ['none', ['slack-alerts']],
  ])('routes severity=%s to %j (amtool config routes test)', async (severity, receivers) => {
    const result = await routesTest(REPO_PATHS.alertmanagerConfig, severity === 'none' ? { alertname: 'X' } : { alertname: 'X', severity }, receivers);
    expect(result.receivers).toEqual(receivers);
    expect(result.ok).toBe(true);
  });

  it('routesTest reports a mismatch', async () => {
    const result = await routesTest(REPO_PATHS.alertmanagerConfig, { severity: 'info' }, ['pagerduty-and-slack']);
    expect(result.ok).toBe(false);
    expect(result.receivers).toEqual(['slack-low-priority']);
  });
});

describe('templateRender (amtool template render)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-amtool-'));
    writeFileSync(join(dir, 'test.tmpl'), '{{ define "test.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a named template with given data', async () => {
    const text = await templateRender({ templateFiles: [join(dir, '*.tmpl')], text: '{{ template "test.title" . }}', data: { status: 'firing', commonLabels: { alertname: 'HighErrorRate' } } });
    expect(text).toBe('[FIRING] HighErrorRate');
  });

  it('throws with amtool’s error for an undefined template', async () => {
    await expect(templateRender({ templateFiles: [join(dir, '*.tmpl')], text: '{{ template "nope" . }}' })).rejects.toThrow(/amtool template render failed: .*template "nope" not defined/);
  });
});

describe('Alertmanager delivering to the sink', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.stop());

  it('runs one node without gossip', async () => {
    const status = await pair.alertmanager.status();
    expect(status.cluster.status).toBe('disabled');
    expect(status.versionInfo.version).toMatch(/^0\.\d+/);
  });

  it('pages PagerDuty (valid v2 event) and posts to Slack for critical, Slack only for warning, the low-priority channel for info; resolve sends event_action resolve', async () => {
    const { sink, alertmanager } = pair;
    const posted = Date.now();
    await alertmanager.postAlerts([alert('StackCritical', 'critical'), alert('StackWarning', 'warning'), alert('StackInfo', 'info')]);

    const [page] = (await sink.waitFor(isPage('StackCritical', 'trigger'), 20_000, { description: 'critical page' })) as PagerDutyDelivery[];
    expect(page!.event).toMatchObject({
      routing_key: 'modelwatchlocalsink0000000000000',
      event_action: 'trigger',
      client: 'Alertmanager',
      client_url: `${alertmanager.url}/#/alerts?receiver=pagerduty-and-slack`,
      payload: { severity: 'critical', source: 'Alertmanager', summary: expect.stringMatching(/^\[FIRING:1\] StackCritical on demo \(critical\): StackCritical summary$/) },
    });
    expect(page!.event?.dedup_key).toMatch(/^[0-9a-f]{64}$/);
    expect(page!.userAgent).toMatch(/^Alertmanager\//);
    expect(page!.receivedAtMs - posted).toBeGreaterThanOrEqual(900); // group_wait 1s

    const [slack] = (await sink.waitFor(isSlack('StackCritical', 'modelwatch-alerts'), 10_000)) as SlackDelivery[];
    expect(slack!.message).toMatchObject({ channel: '#modelwatch-alerts', username: 'Alertmanager', attachments: [{ color: 'danger', text: expect.stringContaining('*StackCritical summary*\nmeasured 0.42') }] });

    await sink.waitFor(isSlack('StackWarning', 'modelwatch-alerts'), 10_000);
    await sink.waitFor(isSlack('StackInfo', 'modelwatch-info'), 10_000);
    expect(sink.deliveries().filter((d) => d.kind === 'pagerduty' && JSON.stringify(d.body).match(/StackWarning|StackInfo/))).toEqual([]);

    await alertmanager.postAlerts([alert('StackCritical', 'critical', { endsAt: new Date(Date.now() - 1000).toISOString() })]);
    const [resolved] = (await sink.waitFor(isPage('StackCritical', 'resolve'), 15_000, { description: 'PagerDuty resolve' })) as PagerDutyDelivery[];
    expect(resolved!.event?.dedup_key).toBe(page!.event?.dedup_key);
    expect(resolved!.event?.payload?.summary).toMatch(/^\[RESOLVED\] StackCritical/);
    const [slackResolved] = (await sink.waitFor(isSlack('StackCritical', 'modelwatch-alerts', '[RESOLVED'), 15_000)) as SlackDelivery[];
    expect(slackResolved!.message?.attachments[0]?.color).toBe('good');
    expect(sink.deliveries().every((d) => d.valid)).toBe(true);
  });

  it('inhibits the warning of an alert that is critical on the same job', async () => {
    const { alertmanager } = pair;
    await alertmanager.postAlerts([alert('StackInhibit', 'critical'), alert('StackInhibit', 'warning')]);
    const [warning] = await (async () => {
      for (let i = 0; i < 50; i++) {
        const alerts = await alertmanager.alerts(['alertname="StackInhibit"', 'severity="warning"']);
        if (alerts[0]?.status.state === 'suppressed') return alerts;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return alertmanager.alerts(['alertname="StackInhibit"', 'severity="warning"']);
    })();
    expect(warning?.status).toMatchObject({ state: 'suppressed', inhibitedBy: [expect.any(String)] });
  });
});

describe('Alertmanager in quiet hours', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair('always');
  });
  afterAll(() => pair?.stop());

  it('mutes the low-priority channel, and only it', async () => {
    const { sink, alertmanager } = pair;
    await alertmanager.postAlerts([alert('QuietWarning', 'warning'), alert('QuietInfo', 'info')]);
    // Both groups have the same timers: once the warning is in and a group interval has passed, the info would be too.
    await sink.waitFor(isSlack('QuietWarning', 'modelwatch-alerts'), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(sink.deliveries().filter((d) => JSON.stringify(d.body).includes('QuietInfo'))).toEqual([]);
    const [info] = await alertmanager.alerts(['alertname="QuietInfo"']);
    expect(info?.status.state).toBe('active');
  });
});

describe('Alertmanager retrying a failing receiver', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(() => pair?.stop());

  it('retries PagerDuty after 429 and Slack after 500, until the sink accepts', async () => {
    const { sink, alertmanager } = pair;
    sink.fail({ status: 429, kind: 'pagerduty', times: 2 });
    await alertmanager.postAlerts([alert('StackRetry', 'critical')]);
    const pages = await sink.waitFor((d) => d.kind === 'pagerduty', 20_000, { count: 3, description: 'two refused pages and one accepted' });
    expect(pages.map((d) => d.status)).toEqual([429, 429, 202]);

    sink.fail({ status: 500, kind: 'slack', times: 2 });
    await alertmanager.postAlerts([alert('StackRetrySlack', 'warning')]);
    const messages = await sink.waitFor((d) => d.kind === 'slack' && JSON.stringify(d.body).includes('StackRetrySlack'), 20_000, { count: 3 });
    expect(messages.map((d) => d.status)).toEqual([500, 500, 200]);
  });
});

describe('Alertmanager with a config object', () => {
  it('delivers to a webhook receiver on the sink', async () => {
    const sink = await startNotificationSink();
    const alertmanager = await startAlertmanager({
      config: { route: { receiver: 'hook', group_wait: '0s', group_by: ['alertname'] }, receivers: [{ name: 'hook', webhook_configs: [{ url: sink.endpoints.webhook('test') }] }] },
    });
    try {
      await alertmanager.postAlerts([alert('StackWebhook', 'info')]);
      const [hook] = await sink.waitFor((d) => d.kind === 'webhook', 10_000);
      expect(hook).toMatchObject({ valid: true, name: 'test', message: { version: '4', receiver: 'hook', status: 'firing', alerts: [{ labels: { alertname: 'StackWebhook' } }] } });
      expect(await alertmanager.silences()).toEqual([]);
      const id = await alertmanager.createSilence({ matchers: [{ name: 'alertname', value: 'StackWebhook', isRegex: false }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString(), createdBy: 'test', comment: 'quiet' });
      expect((await alertmanager.silences()).map((s) => [s.id, s.status.state])).toEqual([[id, 'active']]);
    } finally {
      await Promise.all([alertmanager.stop(), sink.stop()]);
    }
  });
});

describe('Alertmanager reloads', () => {
  it('reload a rewritten config by SIGHUP, and say so when it is rejected', async () => {
    const receiver = (name: string) => ({ route: { receiver: name }, receivers: [{ name }] });
    const alertmanager = await startAlertmanager({ config: receiver('first') });
    try {
      await alertmanager.reload(receiver('second'));
      expect((await alertmanager.status()).config.original).toContain('second');
      await expect(alertmanager.reload({ route: { receiver: 'missing' }, receivers: [] })).rejects.toThrow(/alertmanager rejected the new config; its last output:[\s\S]*missing/);
      expect((await alertmanager.status()).config.original).toContain('second');
    } finally {
      await alertmanager.stop();
    }
  });
});

describe('Alertmanager facing web pages', () => {
  const silence = { matchers: [{ name: 'alertname', value: 'Watchdog', isRegex: false }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: 'attacker', comment: 'quiet' };

  it('lets no other origin silence the watchdog: preflight and POST refused, no CORS grant; its own clients still work', async () => {
    const alertmanager = await startAlertmanager({ config: { route: { receiver: 'none' }, receivers: [{ name: 'none' }] } });
    try {
      const origin = 'http://attacker.example';
      const preflight = await fetch(`${alertmanager.url}/api/v2/silences`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      const posted = await fetch(`${alertmanager.url}/api/v2/silences`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify(silence) });
      expect(posted.status).toBe(403);
      expect(await alertmanager.silences()).toEqual([]);
      // Alertmanager's own UI, served through the same origin, may.
      const own = await fetch(`${alertmanager.url}/api/v2/status`, { headers: { origin: alertmanager.url } });
      expect(own.status).toBe(200);
      expect(own.headers.get('access-control-allow-origin')).toBeNull();
      expect(await alertmanager.createSilence(silence)).toMatch(/\S/);
    } finally {
      await alertmanager.stop();
    }
  });

  it('answers only requests addressed to loopback (DNS rebinding)', async () => {
    const alertmanager = await startAlertmanager({ config: { route: { receiver: 'none' }, receivers: [{ name: 'none' }] } });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(`${alertmanager.url}/api/v2/status`, { headers: { host: `attacker.example:${alertmanager.port}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(403);
      expect((await fetch(`${alertmanager.url}/-/ready`)).status).toBe(200);
    } finally {
      await alertmanager.stop();
    }
  });
});
