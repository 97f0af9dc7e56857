import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HeaderFaultKind } from './faults';
import type { ProviderName } from './models';
import { collect, startRig, thrown, type TestRig } from './test-support/clients';

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
beforeEach(() => rig.providers.reset());
afterAll(() => rig.providers.close());

const messages = [{ role: 'user' as const, content: 'Hello' }];
const callOpenAI = (clients: TestRig, headers: Record<string, string> = {}) => clients.openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers });
const callAnthropic = (clients: TestRig, headers: Record<string, string> = {}) => clients.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages }, { headers });
const call = (provider: ProviderName, clients: TestRig, headers: Record<string, string> = {}) => (provider === 'openai' ? callOpenAI(clients, headers) : callAnthropic(clients, headers));

const ERROR_CASES = [
  { provider: 'openai', kind: 'rate_limit', errorClass: OpenAI.RateLimitError, status: 429, type: 'requests' },
  { provider: 'openai', kind: 'server_error', errorClass: OpenAI.InternalServerError, status: 500, type: 'server_error' },
  { provider: 'openai', kind: 'overloaded', errorClass: OpenAI.InternalServerError, status: 503, type: 'server_error' },
  { provider: 'anthropic', kind: 'rate_limit', errorClass: Anthropic.RateLimitError, status: 429, type: 'rate_limit_error' },
  { provider: 'anthropic', kind: 'server_error', errorClass: Anthropic.InternalServerError, status: 500, type: 'api_error' },
  { provider: 'anthropic', kind: 'overloaded', errorClass: Anthropic.OverloadedError, status: 529, type: 'overloaded_error' },
] as const satisfies ReadonlyArray<{ provider: ProviderName; kind: HeaderFaultKind; errorClass: unknown; status: number; type: string }>;

describe('API errors', () => {
  it.each(ERROR_CASES.flatMap((errorCase) => [{ ...errorCase, via: 'the x-fake-fault header' }, { ...errorCase, via: 'an injected fault' }]))(
    '$provider $kind via $via: the SDK throws $errorClass.name with status $status and the request id',
    async ({ provider, kind, errorClass, status, type, via }) => {
      const viaHeader = via === 'the x-fake-fault header';
      if (!viaHeader) rig.providers.faults.inject({ kind, provider });
      const error = await thrown(() => call(provider, rig, viaHeader ? { 'x-fake-fault': kind } : {}));
      expect(error).toBeInstanceOf(errorClass);
      expect(error).toMatchObject({ status, type });
      const [request] = rig.providers.requests;
      expect(request).toMatchObject({ provider, status, fault: kind, model: provider === 'openai' ? 'gpt-4o-mini' : 'claude-haiku-4-5' });
      expect((error as { requestID?: string }).requestID).toBe(request?.requestId);
    },
  );

  it.each([
    { provider: 'openai' as const, extra: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '7s' } },
    { provider: 'anthropic' as const, extra: { 'anthropic-ratelimit-requests-remaining': '0' } },
  ])('a $provider 429 carries retry-after in seconds and its rate-limit headers', async ({ provider, extra }) => {
    rig.providers.faults.inject({ kind: 'rate_limit', retryAfterSeconds: 7 });
    const error = (await thrown(() => call(provider, rig))) as { headers: Headers };
    expect(error.headers.get('retry-after')).toBe('7');
    for (const [name, value] of Object.entries(extra)) expect(error.headers.get(name)).toBe(value);
  });

  it.each(['openai', 'anthropic'] as const)('the %s SDK retries a 429 after the retry-after it was given, and succeeds once the fault heals', async (provider) => {
    const retrying = await startRig({}, { maxRetries: 1 });
    try {
      retrying.providers.faults.inject({ kind: 'rate_limit', probability: 1, retryAfterSeconds: 0.3, durationMs: 100 });
      const started = performance.now();
      await call(provider, retrying);
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(retrying.providers.requests.map((request) => request.status)).toEqual([429, 200]);
    } finally {
      await retrying.providers.close();
    }
  });

  it.each(['openai', 'anthropic'] as const)('a %s timeout fault never answers, so the SDK throws APIConnectionTimeoutError', async (provider) => {
    const impatient = await startRig({}, { timeout: 200 });
    try {
      const error = await thrown(() => call(provider, impatient, { 'x-fake-fault': 'timeout' }));
      expect(error).toBeInstanceOf(provider === 'openai' ? OpenAI.APIConnectionTimeoutError : Anthropic.APIConnectionTimeoutError);
      expect(impatient.providers.requests[0]).toMatchObject({ fault: 'timeout', status: undefined });
    } finally {
      await impatient.providers.close();
    }
  });

  it('a timeout fault closes the connection after maxHangMs, which the SDK reports as a connection error', async () => {
    const hanging = await startRig({ maxHangMs: 100 });
    try {
      const started = performance.now();
      const error = await thrown(() => callOpenAI(hanging, { 'x-fake-fault': 'timeout' }));
      expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
      expect(error).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    } finally {
      await hanging.providers.close();
    }
  });

  it.each(['openai', 'anthropic'] as const)('a %s disconnect fault before the answer makes the SDK throw APIConnectionError', async (provider) => {
    const error = await thrown(() => call(provider, rig, { 'x-fake-fault': 'disconnect' }));
    expect(error).toBeInstanceOf(provider === 'openai' ? OpenAI.APIConnectionError : Anthropic.APIConnectionError);
    expect(rig.providers.requests[0]).toMatchObject({ fault: 'disconnect', status: undefined });
  });

  it.each([
    {
      provider: 'openai',
      stream: () => rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }, { headers: { 'x-fake-fault': 'disconnect' } }),
    },
    {
      provider: 'openai responses',
      stream: () => rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello', stream: true }, { headers: { 'x-fake-fault': 'disconnect' } }),
    },
    {
      provider: 'anthropic',
      stream: () => rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 256, messages, stream: true }, { headers: { 'x-fake-fault': 'disconnect' } }),
    },
  ])('a $provider stream cut mid-way delivers its first events, then its iteration throws', async ({ stream }) => {
    const received: unknown[] = [];
    const error = await thrown(async () => {
      for await (const event of await stream()) received.push(event);
    });
    expect(received.length).toBeGreaterThanOrEqual(2);
    // Not an APIError: undici's "terminated" TypeError, caused by the closed socket.
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ message: 'terminated' });
    expect(rig.providers.requests[0]).toMatchObject({ status: 200, fault: 'disconnect', stream: true });
  });

  it('a cut Anthropic stream rejects the SDK stream helper too', async () => {
    const helper = rig.anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 256, messages }, { headers: { 'x-fake-fault': 'disconnect' } });
    await expect(helper.finalMessage()).rejects.toThrow();
  });

  it('a stream that completes is not affected by a disconnect fault scoped elsewhere', async () => {
    rig.providers.faults.inject({ kind: 'disconnect', model: 'gpt-4o' });
    const chunks = await collect(await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true }));
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });
});

describe('malformed requests and unknown routes', () => {
  it.each([
    { name: 'OpenAI', request: () => rig.openai.get('/models/none'), errorClass: OpenAI.NotFoundError, message: '404 Invalid URL (GET /v1/models/none)' },
    { name: 'Anthropic', request: () => rig.anthropic.get('/v1/nothing-here'), errorClass: Anthropic.NotFoundError, message: '404 {"type":"error","error":{"type":"not_found_error","message":"Not found: GET /anthropic/v1/nothing-here"}' },
  ])('an unknown $name route is a 404 in its error format', async ({ request, errorClass, message }) => {
    const error = await thrown(request);
    expect(error).toBeInstanceOf(errorClass);
    expect((error as Error).message.startsWith(message)).toBe(true);
  });

  it.each([
    { provider: 'openai', path: '/openai/v1/chat/completions', body: { error: { type: 'invalid_request_error', param: null, code: null, message: expect.stringContaining('could not parse the JSON body') } } },
    { provider: 'anthropic', path: '/anthropic/v1/messages', body: { type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('not valid JSON') }, request_id: expect.stringMatching(/^req_/) } },
  ])('a body that is not JSON is a 400 in the $provider format', async ({ path, body }) => {
    const response = await fetch(`${rig.providers.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "gpt-4o-mini", ' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(body);
  });

  it.each([
    { header: 'x-fake-usage', value: 'not json' },
    { header: 'x-fake-usage', value: '{"prompt_tokens":-1}' },
    { header: 'x-fake-fault', value: 'latency' },
    { header: 'x-fake-output-tokens', value: 'many' },
  ])('a malformed $header header ($value) is a 400 that names it', async ({ header, value }) => {
    const error = await thrown(() => callOpenAI(rig, { [header]: value }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain(header);
  });

  it('survives bodies of the wrong shape everywhere, answering 400 or a best-effort answer, never crashing', async () => {
    const bodies = [[], 'text', 42, null, { model: 7 }, { model: 'gpt-4o-mini', messages: [null, 5, { role: 9, content: { weird: true } }], tools: 'x' }, { model: 'gpt-4o-mini', input: { nested: [1] } }];
    for (const path of ['/openai/v1/chat/completions', '/openai/v1/responses', '/openai/v1/embeddings', '/anthropic/v1/messages']) {
      for (const body of bodies) {
        const response = await fetch(`${rig.providers.url}${path}`, { method: 'POST', body: JSON.stringify(body) });
        expect([200, 400, 404]).toContain(response.status);
        await response.arrayBuffer();
      }
    }
    expect((await callOpenAI(rig)).object).toBe('chat.completion');
  });
});
