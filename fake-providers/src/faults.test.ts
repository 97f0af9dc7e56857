import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTROL_LIMITS } from './admin';
import type { Fault } from './faults';
import { startFakeProviders } from './server';
import { startRig, thrown, type TestRig } from './test-support/clients';

const CONTROL_TOKEN = 'control-token-for-the-tests';

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
beforeEach(() => rig.providers.reset());
afterAll(() => rig.providers.close());

const messages = [{ role: 'user' as const, content: 'Hello' }];
/** The status each call ends with (0 when the SDK threw without one). */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (error) {
    return (error as { status?: number }).status ?? 0;
  }
}
const openaiStatus = (model = 'gpt-4o-mini') => statusOf(rig.openai.chat.completions.create({ model, messages }));
const anthropicStatus = (model = 'claude-haiku-4-5') => statusOf(rig.anthropic.messages.create({ model, max_tokens: 32, messages }));

describe('fault injection', () => {
  it.each([
    { name: 'by provider', fault: { kind: 'server_error', provider: 'anthropic' } as Fault, expected: { gpt4oMini: 200, gpt4o: 200, haiku: 500, sonnet: 500 } },
    { name: 'by model name', fault: { kind: 'server_error', model: 'gpt-4o' } as Fault, expected: { gpt4oMini: 200, gpt4o: 500, haiku: 200, sonnet: 200 } },
    { name: 'by snapshot name', fault: { kind: 'server_error', model: 'claude-haiku-4-5-20251001' } as Fault, expected: { gpt4oMini: 200, gpt4o: 200, haiku: 500, sonnet: 200 } },
    { name: 'not at all', fault: { kind: 'server_error' } as Fault, expected: { gpt4oMini: 500, gpt4o: 500, haiku: 500, sonnet: 500 } },
  ])('scopes a fault $name', async ({ fault, expected }) => {
    rig.providers.faults.inject(fault);
    expect({
      gpt4oMini: await openaiStatus('gpt-4o-mini'),
      gpt4o: await openaiStatus('gpt-4o'),
      haiku: await anthropicStatus('claude-haiku-4-5'),
      sonnet: await anthropicStatus('claude-sonnet-4-6'),
    }).toEqual(expected);
  });

  it('heals by itself after durationMs', async () => {
    const handle = rig.providers.faults.inject({ kind: 'rate_limit', durationMs: 60 });
    expect(await openaiStatus()).toBe(429);
    expect(handle.active).toBe(true);
    await vi.waitUntil(() => !handle.active, { timeout: 2000, interval: 5 });
    expect(rig.providers.faults.active).toEqual([]);
    expect(await openaiStatus()).toBe(200);
  });

  it('stops when its handle is cleared, leaving the other faults alone', async () => {
    const openaiFault = rig.providers.faults.inject({ kind: 'server_error', provider: 'openai' });
    rig.providers.faults.inject({ kind: 'overloaded', provider: 'anthropic' });
    openaiFault.clear();
    openaiFault.clear();
    expect([await openaiStatus(), await anthropicStatus()]).toEqual([200, 529]);
    rig.providers.faults.clear();
    expect(await anthropicStatus()).toBe(200);
  });

  it('hits a share of requests given by probability, reproducibly for a seed', async () => {
    const run = async () => {
      const seeded = await startRig({ seed: 7 });
      try {
        seeded.providers.faults.inject({ kind: 'server_error', probability: 0.3 });
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) statuses.push(await statusOf(seeded.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' })));
        return statuses;
      } finally {
        await seeded.providers.close();
      }
    };
    const first = await run();
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(4);
    expect(failures).toBeLessThan(20);
    expect(await run()).toEqual(first);
  });

  it('applies the first matching error fault when several match', async () => {
    rig.providers.faults.inject({ kind: 'rate_limit', model: 'gpt-4o-mini' });
    rig.providers.faults.inject({ kind: 'server_error' });
    expect([await openaiStatus('gpt-4o-mini'), await openaiStatus('gpt-4o')]).toEqual([429, 500]);
  });

  it('adds extraLatencyMs before the answer with a latency fault, combined with error faults', async () => {
    rig.providers.faults.inject({ kind: 'latency', extraLatencyMs: 150 });
    rig.providers.faults.inject({ kind: 'rate_limit', provider: 'anthropic' });
    let started = performance.now();
    expect(await openaiStatus()).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    started = performance.now();
    expect(await anthropicStatus()).toBe(429);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(rig.providers.requests.map((request) => request.fault)).toEqual(['latency', 'rate_limit']);
  });

  it.each([
    { fault: { kind: 'explode' }, message: 'Fault kind must be one of rate_limit, server_error, overloaded, timeout, disconnect, latency, rate_limit_drain, model_substitution, got "explode"' },
    { fault: { kind: 'rate_limit', probability: 1.5 }, message: 'Fault probability must be a number in [0, 1], got 1.5' },
    { fault: { kind: 'rate_limit', provider: 'google' }, message: 'Fault provider must be one of openai, anthropic, gemini, got "google"' },
    { fault: { kind: 'latency', extraLatencyMs: -1 }, message: 'Fault extraLatencyMs must be a number in [0, 2147483647], got -1' },
    { fault: { kind: 'timeout', durationMs: Number.NaN }, message: 'Fault durationMs must be a number in [0, 2147483647], got null' },
  ])('refuses $fault with a TypeError naming the bad field', ({ fault, message }) => {
    expect(() => rig.providers.faults.inject(fault as Fault)).toThrow(new TypeError(message));
  });

  it('defaults retryAfterSeconds to 1 for rate limits and extraLatencyMs to 1000 for latency', () => {
    expect(rig.providers.faults.inject({ kind: 'rate_limit' }).fault).toEqual({ kind: 'rate_limit', retryAfterSeconds: 1 });
    expect(rig.providers.faults.inject({ kind: 'latency' }).fault).toEqual({ kind: 'latency', extraLatencyMs: 1000 });
  });

  it('injects, lists and clears faults over HTTP for other processes, with the control token', async () => {
    const controlled = await startRig({ controlToken: CONTROL_TOKEN });
    try {
      const admin = `${controlled.providers.url}/_fake/faults`;
      const headers = { authorization: `Bearer ${CONTROL_TOKEN}` };
      const fault = { kind: 'overloaded', provider: 'anthropic', durationMs: 60_000 };
      const created = await fetch(admin, { method: 'POST', headers, body: JSON.stringify(fault) });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect(await statusOf(controlled.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 32, messages }))).toBe(529);
      expect(await (await fetch(admin, { headers })).json()).toEqual({ faults: [{ id, fault }] });
      expect((await fetch(`${admin}/${id}`, { method: 'DELETE', headers })).status).toBe(204);
      expect(await statusOf(controlled.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 32, messages }))).toBe(200);
      expect((await fetch(admin, { method: 'POST', headers, body: JSON.stringify({ kind: 'nope', durationMs: 1000 }) })).status).toBe(400);
    } finally {
      await controlled.providers.close();
    }
  });

  it('serves no control API without a control token: no process can inject faults, clear them or read the prompts over HTTP', async () => {
    for (const [method, path] of [['POST', '/_fake/faults'], ['DELETE', '/_fake/faults'], ['GET', '/_fake/requests']] as const) {
      const response = await fetch(`${rig.providers.url}${path}`, { method, ...(method === 'POST' ? { body: JSON.stringify({ kind: 'server_error' }) } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    expect(await openaiStatus()).toBe(200);
    expect((await fetch(`${rig.providers.url}/health`)).status).toBe(200);
  });

  describe('over HTTP with a control token', () => {
    let controlled: TestRig;
    beforeAll(async () => {
      controlled = await startRig({ controlToken: CONTROL_TOKEN });
    });
    afterAll(() => controlled.providers.close());
    const post = (body: unknown, authorization = `Bearer ${CONTROL_TOKEN}`) =>
      fetch(`${controlled.providers.url}/_fake/faults`, { method: 'POST', headers: { authorization }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    it('refuses a request without the token, or with another one, as 401', async () => {
      controlled.providers.faults.inject({ kind: 'server_error', provider: 'openai' });
      for (const authorization of ['', 'Bearer wrong-token-of-some-length', `Basic ${CONTROL_TOKEN}`, `Bearer ${CONTROL_TOKEN}x`]) {
        const response = await fetch(`${controlled.providers.url}/_fake/faults`, { method: 'DELETE', headers: authorization ? { authorization } : {} });
        expect(response.status, authorization).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="fake-providers-control"');
      }
      expect(controlled.providers.faults.active).toHaveLength(1);
      expect((await post({ kind: 'server_error', durationMs: 1000 }, 'Bearer nope')).status).toBe(401);
      expect(controlled.providers.faults.active).toHaveLength(1);
      controlled.providers.reset();
    });

    it.each([
      [{ kind: 'server_error' }, `durationMs is required over HTTP, a number in (0, ${CONTROL_LIMITS.maxDurationMs}], got undefined`],
      [{ kind: 'server_error', durationMs: CONTROL_LIMITS.maxDurationMs + 1 }, `durationMs is required over HTTP, a number in (0, ${CONTROL_LIMITS.maxDurationMs}], got ${CONTROL_LIMITS.maxDurationMs + 1}`],
      [{ kind: 'latency', durationMs: 1000, extraLatencyMs: 2 ** 31 - 1 }, `extraLatencyMs over HTTP must be a number of at most ${CONTROL_LIMITS.maxExtraLatencyMs}, got ${2 ** 31 - 1}`],
    ])('holds %j to the limits of the demo admin API', async (fault, message) => {
      const response = await post(fault);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { message } });
      expect(controlled.providers.faults.active).toHaveLength(0);
    });

    it(`refuses a body over ${CONTROL_LIMITS.bodyBytes} bytes`, async () => {
      const response = await post(JSON.stringify({ kind: 'server_error', durationMs: 1000, model: 'x'.repeat(CONTROL_LIMITS.bodyBytes) }));
      expect(response.status).toBe(413);
      expect(controlled.providers.faults.active).toHaveLength(0);
    });
  });

  it('refuses a control token short enough to guess', async () => {
    await expect(startFakeProviders({ controlToken: 'short' })).rejects.toThrow(new TypeError('startFakeProviders: controlToken must be a string of at least 16 characters'));
  });

  it('rate limits reach a client that retries, once its retries run out', async () => {
    const retrying = await startRig({}, { maxRetries: 2 });
    try {
      retrying.providers.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 0.01 });
      const error = await thrown(() => retrying.openai.chat.completions.create({ model: 'gpt-4o-mini', messages }));
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      expect(retrying.providers.requests.map((request) => request.status)).toEqual([429, 429, 429]);
    } finally {
      await retrying.providers.close();
    }
  });
});
