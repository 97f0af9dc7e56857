import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { GRAFANA_WEBHOOK_FIRING, PAGERDUTY_TRIGGER, SLACK_FIRING, WEBHOOK_RESOLVED } from './__fixtures__/payloads';
import { formatDelivery, startNotificationSink, type Delivery, type NotificationSink } from './notification-sink';

let sink: NotificationSink;
let printed: Delivery[];
beforeEach(async () => {
  printed = [];
  sink = await startNotificationSink({ onDelivery: (d) => printed.push(d) });
});
afterEach(() => sink.stop());

const post = async (url: string, body: unknown) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Alertmanager/0.25.0' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
};

describe('the notification sink', () => {
  it('answers a valid PagerDuty v2 event with 202 like PagerDuty, and records it', async () => {
    const answer = await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER);
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.text)).toEqual({ status: 'success', message: 'Event processed', dedup_key: PAGERDUTY_TRIGGER.dedup_key });
    const [delivery] = sink.deliveries();
    expect(delivery).toMatchObject({ seq: 1, kind: 'pagerduty', path: '/pagerduty/v2/enqueue', valid: true, errors: [], status: 202, userAgent: 'Alertmanager/0.25.0', event: PAGERDUTY_TRIGGER });
    expect(Date.parse(delivery!.receivedAt)).toBe(delivery!.receivedAtMs);
    expect(printed).toEqual([delivery]);
    expect(formatDelivery(delivery!)).toMatch(/^\d\d:\d\d:\d\d pagerduty trigger error \[FIRING:1\] DiskFull \(db1:9100 node critical\) → 202$/);
  });

  it('answers an invalid PagerDuty event with 400 and the errors, as PagerDuty does', async () => {
    const answer = await post(sink.endpoints.pagerduty, { ...PAGERDUTY_TRIGGER, payload: { ...PAGERDUTY_TRIGGER.payload, severity: 'page' } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors: ['payload.severity must be one of critical|error|warning|info, got "page"'] });
    expect(sink.deliveries()[0]).toMatchObject({ valid: false });
    expect(sink.deliveries()[0]).not.toHaveProperty('event');
    expect(formatDelivery(sink.deliveries()[0]!)).toContain('→ 400  INVALID: payload.severity must be one of');
  });

  it('takes Slack messages per channel, answering 200 ok (400 invalid_payload when invalid)', async () => {
    expect(await post(sink.endpoints.slack('modelwatch-alerts'), SLACK_FIRING)).toEqual({ status: 200, text: 'ok' });
    expect(await post(sink.endpoints.slack('modelwatch-info'), { text: 'no attachments' })).toEqual({ status: 400, text: 'invalid_payload' });
    expect(await post(sink.endpoints.slack('x'), 'not json')).toEqual({ status: 400, text: 'invalid_payload' });
    const [ok, noAttachments, notJson] = sink.deliveries();
    expect(ok).toMatchObject({ kind: 'slack', channel: 'modelwatch-alerts', valid: true, message: SLACK_FIRING });
    expect(noAttachments).toMatchObject({ kind: 'slack', channel: 'modelwatch-info', valid: false, errors: ['attachments must be a non-empty array'] });
    expect(notJson?.errors[0]).toMatch(/^body is not JSON/);
    expect(formatDelivery(ok!)).toMatch(/slack #modelwatch-alerts \[FIRING:1\] DiskFull .* → 200$/);
  });

  it('takes webhook messages, and records a POST to any other path as a 404', async () => {
    expect((await post(sink.endpoints.webhook('team'), WEBHOOK_RESOLVED)).status).toBe(200);
    expect((await post(`${sink.url}/pd/v2/enqueue`, PAGERDUTY_TRIGGER)).status).toBe(404);
    const [webhook, unknown] = sink.deliveries();
    expect(webhook).toMatchObject({ kind: 'webhook', name: 'team', valid: true });
    expect(formatDelivery(webhook!)).toMatch(/webhook team resolved DiskFull → 200$/);
    expect(unknown).toMatchObject({ kind: 'unknown', status: 404, valid: false, errors: ['no integration listens on POST /pd/v2/enqueue'] });
  });

  it('fails on request, for a number of deliveries of one kind, still recording them', async () => {
    sink.fail({ status: 429, kind: 'pagerduty', times: 2 });
    expect((await post(sink.endpoints.slack('a'), SLACK_FIRING)).status).toBe(200);
    expect((await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER)).status).toBe(429);
    expect((await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER)).status).toBe(429);
    expect((await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER)).status).toBe(202);
    sink.fail({ status: 500 });
    expect(await post(sink.endpoints.slack('a'), SLACK_FIRING)).toEqual({ status: 500, text: 'sink told to fail with 500' });
    sink.recover();
    expect((await post(sink.endpoints.slack('a'), SLACK_FIRING)).status).toBe(200);
    expect(sink.deliveries().map((d) => [d.kind, d.status, d.forcedFailure])).toEqual([
      ['slack', 200, false],
      ['pagerduty', 429, true],
      ['pagerduty', 429, true],
      ['pagerduty', 202, false],
      ['slack', 500, true],
      ['slack', 200, false],
    ]);
    expect(formatDelivery(sink.deliveries()[1]!)).toContain('→ 429 (forced)');
  });

  it('waitFor resolves on past and future deliveries, counting matches', async () => {
    await post(sink.endpoints.slack('a'), SLACK_FIRING);
    await expect(sink.waitFor((d) => d.kind === 'slack', 100)).resolves.toHaveLength(1);
    const two = sink.waitFor((d) => d.kind === 'pagerduty', 2000, { count: 2 });
    await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER);
    await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER);
    expect((await two).map((d) => d.seq)).toEqual([2, 3]);
  });

  it('waitFor times out listing what arrived', async () => {
    await post(sink.endpoints.slack('a'), SLACK_FIRING);
    await expect(sink.waitFor((d) => d.kind === 'pagerduty', 100, { description: 'a page' })).rejects.toThrow(
      /sink.waitFor \(a page\): 0 of 1 matching deliveries after 100 ms; received:\n {2}\d\d:\d\d:\d\d slack #a /,
    );
  });

  it('lists deliveries as JSON at GET /deliveries, and clears them with DELETE and its token only', async () => {
    await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER);
    const listed = (await (await fetch(`${sink.url}/deliveries`)).json()) as Delivery[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ kind: 'pagerduty', valid: true });
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: sink.token }] as Record<string, string>[]) {
      const refused = await fetch(`${sink.url}/deliveries`, { method: 'DELETE', headers });
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="notification-sink"');
    }
    expect(sink.deliveries()).toHaveLength(1);
    expect((await fetch(`${sink.url}/deliveries`, { method: 'DELETE', headers: { authorization: `Bearer ${sink.token}` } })).status).toBe(200);
    expect(sink.deliveries()).toEqual([]);
    expect(await (await fetch(sink.url)).json()).toMatchObject({ deliveries: 0, endpoints: { pagerduty: sink.endpoints.pagerduty } });
  });

  it('answers only requests addressed to loopback or to a name it was given (DNS rebinding)', async () => {
    await post(sink.endpoints.pagerduty, PAGERDUTY_TRIGGER);
    const named = await startNotificationSink({ allowedHosts: ['sink'] });
    try {
      for (const [server, host, status] of [
        [sink, `attacker.example:${sink.port}`, 403],
        [sink, `sink:${sink.port}`, 403],
        [sink, `localhost:${sink.port}`, 200],
        [named, `sink:${named.port}`, 200],
        [named, `attacker.example:${named.port}`, 403],
      ] as const) {
        expect((await get(`${server.url}/deliveries`, host)).status, host).toBe(status);
      }
      expect((await get(`${sink.url}/deliveries`, `attacker.example:${sink.port}`)).body).not.toContain('pagerduty');
    } finally {
      await named.stop();
    }
  });

  it("takes Grafana's webhook (version 1) as docker-compose runs it: on every interface, addressed as sink", async () => {
    // Grafana reaches the sink from its own network namespace as sink:9099 (docker-compose.yml: SINK_HOST 0.0.0.0,
    // SINK_ALLOWED_HOSTS sink); loopback stays the default for npm start and the tests.
    const compose = await startNotificationSink({ host: '0.0.0.0', allowedHosts: ['sink'] });
    try {
      expect(compose.listenAddress).toBe('0.0.0.0');
      expect(sink.listenAddress).toBe('127.0.0.1');
      const answer = await postWithHost(compose.endpoints.webhook('watchdog'), `sink:${compose.port}`, GRAFANA_WEBHOOK_FIRING);
      expect(answer.status, answer.body).toBe(200);
      const [delivery] = compose.deliveries();
      expect(delivery).toMatchObject({ kind: 'webhook', name: 'watchdog', valid: true, message: GRAFANA_WEBHOOK_FIRING });
      expect(formatDelivery(delivery!)).toMatch(/webhook watchdog firing Watchdog → 200$/);
      // Reachable on an address other than loopback, as from another container.
      const external = Object.values(networkInterfaces()).flatMap((addresses) => addresses ?? []).find((address) => address.family === 'IPv4' && !address.internal);
      if (external) expect((await postWithHost(`http://${external.address}:${compose.port}/webhook/watchdog`, `sink:${compose.port}`, GRAFANA_WEBHOOK_FIRING)).status).toBe(200);
    } finally {
      await compose.stop();
    }
  });

  it('keeps only the newest deliveries, bounded in count and in bytes, numbering them all', async () => {
    const small = await startNotificationSink({ maxDeliveries: 3, maxBytes: 1024 * 1024 });
    try {
      for (let i = 0; i < 5; i++) await post(small.endpoints.slack(`c${i}`), SLACK_FIRING);
      expect(small.deliveries().map((d) => [d.seq, d.kind === 'slack' ? d.channel : ''])).toEqual([
        [3, 'c2'],
        [4, 'c3'],
        [5, 'c4'],
      ]);
      // Two bodies of 0.6 MiB do not fit in 1 MiB together: the older goes.
      const large = JSON.stringify({ text: 'x'.repeat(600 * 1024) });
      await post(small.endpoints.webhook('a'), large);
      await post(small.endpoints.webhook('b'), large);
      expect(small.deliveries().map((d) => d.seq)).toEqual([7]);
    } finally {
      await small.stop();
    }
    await expect(startNotificationSink({ maxDeliveries: 0 })).rejects.toThrow('startNotificationSink: maxDeliveries must be a positive integer, got 0');
  });
});

/** A GET with a chosen Host header (fetch does not let a page or a test set it). */
function get(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** A JSON POST with a chosen Host header. */
function postWithHost(url: string, host: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'POST', headers: { host, 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}
