import { ALERT, LABEL, METRICS } from '@modelwatch/conventions';
import { waitFor } from '@modelwatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILOVER_HOOK_PATH } from '../service/app';
import { post } from '../test-support/http';
import { startTestService, type TestService } from '../test-support/service';

// The demo with the failover webhook on: Alertmanager's notifications (version 4 payloads, as its webhook sends them)
// move a model's calls, the fake provider's outage is a real fault, the gauges are read from /metrics.
const TOKEN = 'demo-failover-test-token-000000';
const MINI = { provider: 'openai', model: 'gpt-4o-mini' };
const HAIKU = 'claude-haiku-4-5';
const ai = METRICS.genAiOperationDuration.name;
/** A failed-over model gets a trial call once a minute: these tests never reach one, so no call may reach it. */
const TRIAL_MS = 60_000;

function notification(status: 'firing' | 'resolved', model = MINI.model) {
  const labels = { alertname: ALERT.aiErrorRate, job: 'demo', severity: 'warning', [LABEL.genAiProviderName]: 'openai', [LABEL.genAiRequestModel]: model };
  return {
    version: '4',
    groupKey: '{}:{alertname="AiErrorRateHigh"}',
    truncatedAlerts: 0,
    status,
    receiver: 'failover',
    groupLabels: { alertname: ALERT.aiErrorRate },
    commonLabels: labels,
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts: [{ status, labels, annotations: {}, startsAt: '2026-12-06T10:00:00Z', endsAt: status === 'resolved' ? '2026-12-06T10:05:00Z' : '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `fp-${model}` }],
  };
}

describe('the demo router behind the failover webhook', () => {
  let service: TestService;
  const hook = (body: unknown, token = TOKEN) => post(`${service.url}${FAILOVER_HOOK_PATH}`, body, { authorization: `Bearer ${token}` });
  /** A prompt the sticky router sends to gpt-4o-mini, asked fresh each time (no answer cache). */
  let n = 0;
  const askMini = () => post<{ model: string; failedOver: boolean }>(`${service.url}/chat`, { prompt: `Which lantern for camping, take ${n++}?`, model: MINI.model });
  const miniCalls = async () => (await service.scrape()).sum(`${ai}_count`, { [LABEL.genAiRequestModel]: MINI.model });

  beforeAll(async () => {
    service = await startTestService({ failoverToken: TOKEN, failoverHoldDownMs: 300, failoverTrialMs: TRIAL_MS });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('refuses a wrong token (401) and a malformed payload (400), and switches nothing', async () => {
    expect((await hook(notification('firing'), 'not-the-token')).status).toBe(401);
    expect((await hook({ version: '4', alerts: [{ status: 'firing' }] })).status).toBe(400);
    const answer = await askMini();
    expect(answer.body).toMatchObject({ model: MINI.model, failedOver: false });
  });

  it('an outage alert moves the calls to the fallback: no call reaches the failing model, users get answers; resolve fails back after the hold-down', async () => {
    const outage = await service.faults.inject({ kind: 'provider_outage', target: { model: MINI.model }, durationSeconds: 60 });
    expect((await hook(notification('firing'))).body).toMatchObject({ applied: 1 });
    const before = await miniCalls();
    for (let i = 0; i < 5; i++) {
      const answer = await askMini();
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ model: HAIKU, failedOver: true });
    }
    expect(await miniCalls()).toBe(before);
    const scrape = await service.scrape();
    expect(scrape.sum(METRICS.failoverActive.name, { [LABEL.genAiRequestModel]: MINI.model })).toBe(1);
    expect(scrape.sum(METRICS.circuitState.name, { [LABEL.genAiRequestModel]: MINI.model, state: 'open' })).toBe(1);
    expect(service.logs.some((line) => line.message === 'failover: circuit open, calls go to the fallback' && line.model === MINI.model)).toBe(true);

    service.faults.heal(outage.id);
    expect((await hook(notification('resolved'))).body).toMatchObject({ applied: 1 });
    await waitFor(async () => (await askMini()).body.model === MINI.model, 10_000, { description: 'calls back on gpt-4o-mini after the hold-down' });
    expect((await service.scrape()).sum(METRICS.failoverActive.name, { [LABEL.genAiRequestModel]: MINI.model })).toBe(0);
  });

  it('ignores, counts and logs an alert for a model the router does not know', async () => {
    const result = await hook(notification('firing', 'text-embedding-3-small'));
    expect(result.body).toEqual({ applied: 0, repeated: 0, ignored: 0, unknownModels: 1 });
    expect((await service.scrape()).sum(METRICS.instrumentationErrors.name, { reason: 'unknown_failover_model' })).toBe(1);
    expect(service.logs.some((line) => line.message === 'failover alert for a model the router does not know: ignored')).toBe(true);
  });
});
