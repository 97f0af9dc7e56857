import { startFakeProviders, type FakeProviders } from '@modelwatch/fake-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../test-support/http';
import { adminHeaders, startTestService, type TestService } from '../test-support/service';

const CONTROL_TOKEN = 'fake-control-token-of-the-test';

/** Fakes in "another process" (started separately, reached only over HTTP), as with OPENAI_BASE_URL / ANTHROPIC_BASE_URL set. */
describe('provider faults against external fake providers', () => {
  let fakes: FakeProviders;
  let service: TestService;
  beforeAll(async () => {
    fakes = await startFakeProviders({ timeScale: 0.01, controlToken: CONTROL_TOKEN });
    service = await startTestService({ openaiBaseUrl: fakes.openaiBaseUrl, anthropicBaseUrl: fakes.anthropicBaseUrl, fakeControlToken: CONTROL_TOKEN });
  });
  afterAll(async () => {
    await service?.close();
    await fakes?.close();
  });

  it('go through the fakes’ control API and are cleared there on heal', async () => {
    expect(service.fakeProviders).toBeUndefined();
    const injected = await post<{ id: string }>(`${service.url}/admin/faults`, { kind: 'provider_outage', target: 'claude-haiku-4-5' }, adminHeaders());
    expect(injected.status).toBe(201);
    expect(fakes.faults.active).toMatchObject([{ kind: 'server_error', provider: 'anthropic', model: 'claude-haiku-4-5', probability: 1, durationMs: 60_000 }]);
    const chat = await post(`${service.url}/chat`, { prompt: 'Is shipping free?', model: 'claude-haiku-4-5' });
    expect(chat.body).toMatchObject({ model: 'gpt-4o-mini', failedOver: true });

    const healed = await fetch(`${service.url}/admin/faults/${injected.body.id}`, { method: 'DELETE', headers: adminHeaders() });
    expect(healed.status).toBe(204);
    await expect.poll(() => fakes.faults.active.length).toBe(0);
  });

  it('answer 409 when a provider has no control API', async () => {
    const other = await startTestService({ openaiBaseUrl: 'http://127.0.0.1:1/v1', anthropicBaseUrl: fakes.anthropicBaseUrl, fakeControlToken: CONTROL_TOKEN });
    try {
      const response = await post(`${other.url}/admin/faults`, { kind: 'rate_limit_storm' }, adminHeaders());
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: expect.stringMatching(/^Provider faults need the fake providers' control API; http:\/\/127\.0\.0\.1:1\/_fake\/faults is unreachable/) });
      // Nothing half-injected is left behind on the provider that did answer.
      await expect.poll(() => fakes.faults.active.length).toBe(0);
      expect(other.faults.list()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('answer 409 when the fakes need a control token the service does not have', async () => {
    const tokenless = await startTestService({ openaiBaseUrl: fakes.openaiBaseUrl, anthropicBaseUrl: fakes.anthropicBaseUrl });
    try {
      const response = await post(`${tokenless.url}/admin/faults`, { kind: 'provider_outage', target: 'gpt-4o' }, adminHeaders());
      expect(response.status).toBe(409);
      expect(response.body).toMatchObject({ error: expect.stringMatching(/\/_fake\/faults answered 401$/) });
      expect(fakes.faults.active).toEqual([]);
    } finally {
      await tokenless.close();
    }
  });
});

describe('the fake providers the service starts in-process', () => {
  it('serve no control API: a local process cannot inject faults past the admin token and limits', async () => {
    const service = await startTestService();
    try {
      const control = `${service.fakeProviders!.url}/_fake/faults`;
      const injected = await fetch(control, { method: 'POST', body: JSON.stringify({ kind: 'latency', extraLatencyMs: 2 ** 31 - 1 }) });
      expect(injected.status).toBe(404);
      expect((await fetch(control, { method: 'DELETE' })).status).toBe(404);
      expect(service.fakeProviders!.faults.active).toEqual([]);
    } finally {
      await service.close();
    }
  });
});
