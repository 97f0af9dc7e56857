import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { startFakeProviders, type FakeProvidersOptions, type ModelProfile } from './index';
import { startRig } from './test-support/clients';

const messages = [{ role: 'user' as const, content: 'Hello' }];
const slowpoke: ModelProfile = { provider: 'openai', name: 'slowpoke', snapshot: 'slowpoke-2025-01-01', ttftMedianMs: 400, ttftSigma: 0, prefillMsPer1kTokens: 0, msPerOutputToken: 10 };

function handleCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const resource of process.getActiveResourcesInfo()) counts[resource] = (counts[resource] ?? 0) + 1;
  return counts;
}

describe('server lifecycle', () => {
  it('close() resolves at once with a request hanging and a stream half-sent, leaving no open handles', async () => {
    const before = handleCounts();
    const { providers, openai } = await startRig({ timeScale: 1, models: [slowpoke] });
    const hanging = openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-fault': 'timeout' } });
    const stream = await openai.chat.completions.create({ model: 'slowpoke', messages, stream: true }, { headers: { 'x-fake-output-tokens': '1000' } });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    // Resolves while the request still hangs (maxHangMs is 30 s) and the stream has 10 s to go.
    await providers.close();
    await providers.close(); // idempotent
    await expect(hanging).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(iterator.next()).rejects.toThrow('terminated');
    await new Promise((resolve) => setImmediate(resolve));
    const after = handleCounts();
    for (const resource of ['TCPServerWrap', 'TCPSocketWrap', 'Timeout']) expect(after[resource] ?? 0, resource).toBeLessThanOrEqual(before[resource] ?? 0);
  });

  it('serves many requests in flight at once without a listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const { providers, openai } = await startRig({ timeScale: 1, models: [slowpoke] });
    try {
      const answers = await Promise.all(Array.from({ length: 25 }, () => openai.chat.completions.create({ model: 'slowpoke', messages }, { headers: { 'x-fake-output-tokens': '5' } })));
      expect(answers.map((a) => a.choices.length)).toEqual(Array(25).fill(1));
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
      await providers.close();
    }
  });

  it.each([
    { option: 'port', value: -1 },
    { option: 'timeScale', value: -0.5 },
    { option: 'maxHangMs', value: Number.POSITIVE_INFINITY },
    { option: 'requestLogSize', value: 0 },
  ])('refuses an invalid $option ($value)', async ({ option, value }) => {
    await expect(startFakeProviders({ [option]: value } as FakeProvidersOptions)).rejects.toThrow(new TypeError(`startFakeProviders: invalid ${option} ${JSON.stringify(value)}`));
  });

  it('refuses a model profile with a bad field, naming it', async () => {
    await expect(startFakeProviders({ models: [{ ...slowpoke, msPerOutputToken: -3 }] })).rejects.toThrow('Model profile "slowpoke": msPerOutputToken must be a finite number ≥ 0, got -3');
  });

  it('answers GET /health for readiness checks', async () => {
    const providers = await startFakeProviders();
    try {
      const response = await fetch(`${providers.url}/health`);
      expect([response.status, await response.json()]).toEqual([200, { status: 'ok' }]);
    } finally {
      await providers.close();
    }
  });
});

describe('request log', () => {
  it('records provider, path, model, stream, status, fault, request id and arrival time', async () => {
    const { providers, openai } = await startRig();
    try {
      const before = Date.now();
      const { response } = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
      expect(providers.requests).toEqual([
        { provider: 'openai', path: 'POST /openai/v1/chat/completions', model: 'gpt-4o-mini', stream: false, status: 200, fault: undefined, requestId: response.headers.get('x-request-id'), at: expect.any(Number) },
      ]);
      expect(providers.requests[0]?.at).toBeGreaterThanOrEqual(before);
    } finally {
      await providers.close();
    }
  });

  it('keeps only the most recent requests, up to requestLogSize', async () => {
    const { providers, openai } = await startRig({ requestLogSize: 3 });
    try {
      for (const input of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) await openai.embeddings.create({ model: 'text-embedding-3-small', input: input });
      await fetch(`${providers.url}/elsewhere`);
      expect(providers.requests.map((request) => [request.path, request.status])).toEqual([
        ['POST /openai/v1/embeddings', 200],
        ['POST /openai/v1/embeddings', 200],
        ['GET /elsewhere', 404],
      ]);
    } finally {
      await providers.close();
    }
  });
});

describe('models and timing', () => {
  it('lets a custom profile replace a default one', async () => {
    const { providers, openai } = await startRig({ models: [{ provider: 'openai', name: 'gpt-4o-mini', snapshot: 'gpt-4o-mini-2099-01-01', ttftMedianMs: 1, msPerOutputToken: 1 }] });
    try {
      expect((await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })).model).toBe('gpt-4o-mini-2099-01-01');
    } finally {
      await providers.close();
    }
  });

  it('spends the time to first token before the first chunk and the per-token time after it, scaled by timeScale', async () => {
    // slowpoke: 400 ms to first token, 10 ms per token; timeScale 0.5 → 200 ms, then 5 ms × 20 tokens.
    const { providers, openai } = await startRig({ timeScale: 0.5, models: [slowpoke] });
    try {
      const started = performance.now();
      const stream = await openai.chat.completions.create({ model: 'slowpoke', messages, stream: true }, { headers: { 'x-fake-output-tokens': '20' } });
      const headersAt = performance.now() - started;
      let firstChunkAt: number | undefined;
      for await (const _chunk of stream) firstChunkAt ??= performance.now() - started;
      const doneAt = performance.now() - started;
      // Headers go out at once; the first chunk waits for the time to first token.
      expect((firstChunkAt ?? 0) - headersAt).toBeGreaterThanOrEqual(100);
      expect(firstChunkAt).toBeGreaterThanOrEqual(195);
      expect(doneAt - (firstChunkAt ?? 0)).toBeGreaterThanOrEqual(90);
    } finally {
      await providers.close();
    }
  });

  it('answers JSON after the whole generation time', async () => {
    const { providers, openai } = await startRig({ timeScale: 0.5, models: [slowpoke] });
    try {
      const started = performance.now();
      await openai.chat.completions.create({ model: 'slowpoke', messages }, { headers: { 'x-fake-output-tokens': '20' } });
      expect(performance.now() - started).toBeGreaterThanOrEqual(295);
    } finally {
      await providers.close();
    }
  });
});
