import { createServer } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ALERT, INSTRUMENTATION_ERROR_REASON, METRICS } from '@modelwatch/conventions';
import { parseExposition, select, valueOf } from '@modelwatch/testkit';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { closeServer, listenLoopback, send } from '../test-support/http-client';
import { createFailover, type Failover, type FailoverOptions } from './index';

const TOKEN = 'failover-test-token-0123456789';
const BEARER = `Bearer ${TOKEN}`;
const GPT = { provider: 'openai', model: 'gpt-4o' };
const CLAUDE = { provider: 'anthropic', model: 'claude-sonnet-4-6' };
const ROUTES = [
  { ...GPT, fallback: CLAUDE },
  { ...CLAUDE, fallback: GPT },
];
const HOLD_DOWN_MS = 60_000;
const TRIAL_MS = 10_000;

/** One alert as Alertmanager's webhook (payload version 4) sends it. */
function alert(status: 'firing' | 'resolved', labels: Record<string, string>, startsAt: string, fingerprint: string) {
  return {
    status,
    labels: { job: 'demo', severity: 'warning', ...labels } as Record<string, string>,
    annotations: { summary: 'AI calls fail', runbook_url: 'https://example.com/runbook.md' },
    startsAt,
    endsAt: status === 'resolved' ? '2026-12-06T10:09:00Z' : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=...',
    fingerprint,
  };
}

function notification(alerts: ReturnType<typeof alert>[]) {
  const first = alerts[0]!;
  return {
    version: '4',
    groupKey: '{}/{alertname=~"AiErrorRateHigh|AiRateLimited|AiRateLimitExhaustionPredicted"}:{alertname="AiErrorRateHigh", job="demo"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'failover',
    groupLabels: { alertname: first.labels.alertname, job: 'demo' },
    commonLabels: first.labels,
    commonAnnotations: first.annotations,
    externalURL: 'http://alertmanager:9093',
    alerts,
  };
}

const gptDown = (status: 'firing' | 'resolved' = 'firing', startsAt = '2026-12-06T10:00:00Z') =>
  alert(status, { alertname: ALERT.aiErrorRate, gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' }, startsAt, 'a1b2c3d4e5f60718');
const claudeDown = (status: 'firing' | 'resolved' = 'firing') =>
  alert(status, { alertname: ALERT.aiErrorRate, gen_ai_provider_name: 'anthropic', gen_ai_request_model: 'claude-sonnet-4-6' }, '2026-12-06T10:02:00Z', '99aa88bb77cc66dd');

let opened: Failover[] = [];
afterEach(() => {
  for (const failover of opened) failover.close();
  opened = [];
});

function setup(options: Partial<FailoverOptions> = {}) {
  let now = Date.parse('2026-12-06T10:00:30Z');
  const logs: { level: string; message: string; meta?: Record<string, unknown> }[] = [];
  const mw = createModelwatch({ defaultMetrics: false, warn: () => undefined });
  const failover = createFailover(mw, {
    token: TOKEN,
    routes: ROUTES,
    holdDownMs: HOLD_DOWN_MS,
    trialIntervalMs: TRIAL_MS,
    now: () => now,
    logger: { info: (message, meta) => logs.push({ level: 'info', message, meta }), warn: (message, meta) => logs.push({ level: 'warn', message, meta }) },
    ...options,
  });
  opened.push(failover);
  const send = (...alerts: ReturnType<typeof alert>[]) => failover.receive(BEARER, notification(alerts));
  return { mw, failover, logs, send, advance: (ms: number) => (now += ms) };
}

const stateOf = (failover: Failover, ref: typeof GPT) => failover.circuits().find((c) => c.provider === ref.provider && c.model === ref.model)!;
/** Where calls for `ref` go outside trial slots: the second decision after a trial is due is never a trial. */
const target = (failover: Failover, ref: typeof GPT) => {
  const decision = failover.route(ref);
  return decision.trial ? failover.route(ref) : decision;
};

async function gauges(mw: Modelwatch) {
  const { samples } = parseExposition(await mw.metrics());
  return {
    active: (ref: typeof GPT) => valueOf(samples, METRICS.failoverActive.name, { gen_ai_provider_name: ref.provider, gen_ai_request_model: ref.model }),
    openStates: select(samples, METRICS.circuitState.name).filter((s) => s.value === 1).map((s) => `${s.labels.gen_ai_request_model}=${s.labels.state}`).sort(),
    errors: (reason: string) => valueOf(samples, METRICS.instrumentationErrors.name, { reason }),
  };
}

describe('failover state machine (fake clock)', () => {
  it('starts closed for every model, fallbacks included, in the gauges', async () => {
    const { mw, failover } = setup();
    expect(failover.route(GPT)).toEqual({ ...GPT, failedOver: false, trial: false });
    const metrics = await gauges(mw);
    expect(metrics.openStates).toEqual(['claude-sonnet-4-6=closed', 'gpt-4o=closed']);
    expect(metrics.active(GPT)).toBe(0);
  });

  it('fires → open and failed over; resolve → half open for the hold-down; then closed and failed back', async () => {
    const { mw, failover, send, advance, logs } = setup();
    expect(send(gptDown())).toEqual({ status: 200, body: { applied: 1, repeated: 0, ignored: 0, unknownModels: 0 } });
    expect(target(failover, GPT)).toEqual({ ...CLAUDE, failedOver: true, trial: false });
    expect((await gauges(mw)).active(GPT)).toBe(1);
    expect((await gauges(mw)).openStates).toEqual(['claude-sonnet-4-6=closed', 'gpt-4o=open']);
    expect(logs.map((l) => l.message)).toEqual(['failover: circuit open, calls go to the fallback']);
    expect(logs[0]!.meta).toMatchObject({ provider: 'openai', model: 'gpt-4o', fallback_model: 'claude-sonnet-4-6', circuit_state: 'open' });

    advance(5 * 60_000);
    send(gptDown('resolved'));
    expect(stateOf(failover, GPT).state).toBe('half_open');
    expect(target(failover, GPT).model).toBe(CLAUDE.model);
    advance(HOLD_DOWN_MS - 1);
    expect(target(failover, GPT).model).toBe(CLAUDE.model);
    expect((await gauges(mw)).openStates).toEqual(['claude-sonnet-4-6=closed', 'gpt-4o=half_open']);
    advance(1);
    expect(failover.route(GPT)).toEqual({ ...GPT, failedOver: false, trial: false });
    const metrics = await gauges(mw);
    expect(metrics.active(GPT)).toBe(0);
    expect(metrics.openStates).toEqual(['claude-sonnet-4-6=closed', 'gpt-4o=closed']);
    expect(logs.map((l) => l.message).slice(1)).toEqual(['failover: alert resolved, failing back after the hold-down', 'failover: circuit closed, calls go back to the model']);
  });

  it('sends one trial call per interval to the failed model, so its alert sees it heal', () => {
    const { failover, send, advance } = setup();
    send(gptDown());
    const decisions = () => Array.from({ length: 5 }, () => failover.route(GPT).trial);
    expect(decisions()).toEqual([false, false, false, false, false]);
    advance(TRIAL_MS);
    expect(decisions()).toEqual([true, false, false, false, false]);
    expect(failover.route(GPT).model).toBe(CLAUDE.model);
  });

  it('an alert firing again within the hold-down reopens the circuit: the calls never went back (no flapping)', () => {
    const { failover, send, advance } = setup();
    send(gptDown());
    send(gptDown('resolved'));
    advance(HOLD_DOWN_MS / 2);
    send(gptDown('firing', '2026-12-06T10:10:00Z'));
    expect(stateOf(failover, GPT).state).toBe('open');
    advance(HOLD_DOWN_MS * 10);
    expect(target(failover, GPT).model).toBe(CLAUDE.model);
  });

  it('stays open while any of the alerts on the model fires (error rate and rate limiting)', () => {
    const { failover, send } = setup();
    const limited = alert('firing', { alertname: ALERT.aiRateLimited, gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' }, '2026-12-06T10:01:00Z', '0f0f0f0f0f0f0f0f');
    send(gptDown(), limited);
    send(gptDown('resolved'));
    expect(stateOf(failover, GPT)).toMatchObject({ state: 'open', firingAlerts: 1 });
    send({ ...limited, status: 'resolved' });
    expect(stateOf(failover, GPT).state).toBe('half_open');
  });

  it('a fallback that is itself down: no ping-pong, the calls stay on the current model and the alerts page', async () => {
    const { mw, failover, send, logs, advance } = setup();
    send(gptDown());
    // Claude takes GPT's calls, then fails too: its fallback (GPT) is open, so Claude's calls stay on Claude.
    send(claudeDown());
    expect(stateOf(failover, CLAUDE)).toMatchObject({ state: 'open', failedOver: false });
    expect(target(failover, CLAUDE)).toEqual({ ...CLAUDE, failedOver: false, trial: false });
    expect(target(failover, GPT).model).toBe(CLAUDE.model);
    expect(failover.isOpen(CLAUDE)).toBe(true);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', meta: { model: 'claude-sonnet-4-6', circuit_state: 'open' } });
    expect((await gauges(mw)).active(CLAUDE)).toBe(0);
    // GPT heals and fails back; only then may Claude's calls move to GPT, which is closed again.
    send(gptDown('resolved'));
    expect(stateOf(failover, CLAUDE).failedOver).toBe(false);
    advance(HOLD_DOWN_MS);
    expect(target(failover, GPT).model).toBe(GPT.model);
    expect(target(failover, CLAUDE)).toEqual({ ...GPT, failedOver: true, trial: false });
  });

  it('a fallback down first: the failing model stays, and moves once its fallback closes', () => {
    const { failover, send } = setup();
    send(claudeDown());
    send(gptDown());
    // Claude failed over to GPT first; GPT's fallback (Claude) is open, so GPT stays.
    expect(target(failover, CLAUDE).model).toBe(GPT.model);
    expect(stateOf(failover, GPT)).toMatchObject({ state: 'open', failedOver: false });
  });
});

describe('failover webhook: bad input', () => {
  it('a wrong or missing token: 401, nothing switched, counted and logged', async () => {
    const { mw, failover, logs } = setup();
    expect(failover.receive('Bearer wrong-token-0123456789', notification([gptDown()])).status).toBe(401);
    expect(failover.receive(undefined, notification([gptDown()])).status).toBe(401);
    expect(failover.receive(TOKEN, notification([gptDown()])).status).toBe(401);
    expect(target(failover, GPT).model).toBe(GPT.model);
    expect((await gauges(mw)).errors(INSTRUMENTATION_ERROR_REASON.invalidFailoverWebhook)).toBe(3);
    expect(logs.filter((l) => l.level === 'warn' && l.meta?.status === 401)).toHaveLength(3);
  });

  it.each([
    ['not an object', 'firing'],
    ['an old version', { ...notification([gptDown()]), version: '3' }],
    ['no alerts array', { ...notification([gptDown()]), alerts: 'gpt-4o' }],
    ['a bad status', notification([{ ...gptDown(), status: 'broken' as 'firing' }])],
    ['labels that are not strings', notification([{ ...gptDown(), labels: { ...gptDown().labels, gen_ai_request_model: 4 as unknown as string } }])],
    ['a startsAt that is not a date', notification([{ ...gptDown(), startsAt: 'yesterday' }])],
    ['no fingerprint', notification([{ ...gptDown(), fingerprint: '' }])],
  ])('a malformed payload (%s): 400 and nothing of it applied', async (_, body) => {
    const { mw, failover } = setup();
    // The first alert is well formed: it must not be applied either.
    const result = failover.receive(BEARER, typeof body === 'object' && 'alerts' in body && Array.isArray(body.alerts) ? { ...body, alerts: [gptDown(), ...body.alerts] } : body);
    expect(result.status).toBe(400);
    expect(target(failover, GPT).model).toBe(GPT.model);
    expect((await gauges(mw)).errors(INSTRUMENTATION_ERROR_REASON.invalidFailoverWebhook)).toBe(1);
  });

  it('a replayed notification is applied once; a late firing after its own resolve is not applied', () => {
    const { failover, send, advance } = setup();
    expect(send(gptDown()).body).toMatchObject({ applied: 1 });
    // Alertmanager repeats firing alerts in the group's next notifications.
    expect(send(gptDown()).body).toMatchObject({ applied: 0, repeated: 1 });
    expect(send(gptDown('resolved')).body).toMatchObject({ applied: 1 });
    expect(send(gptDown('resolved')).body).toMatchObject({ applied: 0, repeated: 1 });
    // The first notification again, late: the alert it names has resolved.
    expect(send(gptDown()).body).toMatchObject({ applied: 0, repeated: 1 });
    expect(stateOf(failover, GPT).state).toBe('half_open');
    advance(HOLD_DOWN_MS);
    expect(stateOf(failover, GPT).state).toBe('closed');
    // The same alert starting again later is news.
    expect(send(gptDown('firing', '2026-12-06T11:00:00Z')).body).toMatchObject({ applied: 1 });
    expect(stateOf(failover, GPT).state).toBe('open');
  });

  it('an alert for a model the router does not know: ignored, counted, logged', async () => {
    const { mw, failover, send, logs } = setup();
    const unknown = alert('firing', { alertname: ALERT.aiErrorRate, gen_ai_provider_name: 'openai', gen_ai_request_model: 'text-embedding-3-small' }, '2026-12-06T10:00:00Z', '1234123412341234');
    expect(send(unknown).body).toEqual({ applied: 0, repeated: 0, ignored: 0, unknownModels: 1 });
    expect(failover.circuits().map((c) => c.state)).toEqual(['closed', 'closed']);
    expect((await gauges(mw)).errors(INSTRUMENTATION_ERROR_REASON.unknownFailoverModel)).toBe(1);
    expect(logs).toEqual([expect.objectContaining({ level: 'warn', meta: expect.objectContaining({ model: 'text-embedding-3-small' }) })]);
    expect(select(parseExposition(await mw.metrics()).samples, METRICS.failoverActive.name).map((s) => s.labels.gen_ai_request_model).sort()).toEqual(['claude-sonnet-4-6', 'gpt-4o']);
  });

  it('ignores other alerts, and other jobs when told its own', () => {
    const { failover, send } = setup({ job: 'checkout' });
    const other = alert('firing', { alertname: ALERT.aiLatencyBudgetBurn, gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' }, '2026-12-06T10:00:00Z', '5555666677778888');
    expect(send(other, gptDown()).body).toEqual({ applied: 0, repeated: 0, ignored: 2, unknownModels: 0 });
    expect(stateOf(failover, GPT).state).toBe('closed');
  });

  it('refuses options it cannot work with', () => {
    const mw = createModelwatch({ defaultMetrics: false, warn: () => undefined });
    expect(() => createFailover(mw, { token: 'short', routes: ROUTES })).toThrow(/token/);
    expect(() => createFailover(mw, { token: TOKEN, routes: [{ ...GPT, fallback: GPT }] })).toThrow(/itself/);
    expect(() => createFailover(mw, { token: TOKEN, routes: [ROUTES[0]!, ROUTES[0]!] })).toThrow(/twice/);
  });
});

describe('failover webhook over HTTP', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  it.each([
    ['node:http', (failover: Failover) => createServer(failover.handler)],
    ['Express, after express.json()', (failover: Failover) => createServer(express().use(express.json()).post('/hooks/alertmanager', failover.handler))],
  ])('%s: 401 without the token, 400 for a body that is not JSON, 200 and switched with it', async (_, serve) => {
    const { failover } = setup();
    const server = serve(failover);
    servers.push(server);
    const url = `${await listenLoopback(server)}/hooks/alertmanager`;
    const json = { 'content-type': 'application/json' };
    const body = JSON.stringify(notification([gptDown()]));
    const refused = await send(url, { method: 'POST', headers: { ...json, authorization: 'Bearer nope' }, body });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(target(failover, GPT).model).toBe(GPT.model);
    expect((await send(url, { method: 'POST', headers: { ...json, authorization: BEARER }, body: '{"version": "4", "alerts": [' })).status).toBe(400);
    const accepted = await send(url, { method: 'POST', headers: { ...json, authorization: BEARER }, body });
    expect(accepted.status).toBe(200);
    expect(JSON.parse(accepted.text)).toEqual({ applied: 1, repeated: 0, ignored: 0, unknownModels: 0 });
    expect(target(failover, GPT).model).toBe(CLAUDE.model);
  });
});
