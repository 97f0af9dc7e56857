import { getEventListeners } from 'node:events';
import Anthropic, { APIPromise } from '@anthropic-ai/sdk';
import { Stream } from '@anthropic-ai/sdk/core/streaming';
import { startFakeProviders } from '@modelwatch/fake-providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../modelwatch';
import { calls, closedPort, cost, expectCloseTo, expectedCost, expectTimePerOutputToken, firstChunks, internalErrors, newModelwatch, onlyErrorType, scrape, timedTokenCalls, tokens } from './__fixtures__/harness';
import { instrumentAnthropic } from './anthropic';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
let fake: Fake;

beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 12 });
});
afterAll(async () => {
  await fake?.close();
});

const MODEL = 'claude-sonnet-4-5';
const labels = { gen_ai_provider_name: 'anthropic', gen_ai_request_model: MODEL };
const request = { model: MODEL, max_tokens: 256, messages: [{ role: 'user' as const, content: 'Name three colours.' }] };
/** Usage the fake reports, in Anthropic's field names: 200 uncached input tokens, 1000 read from and 500 written to the prompt cache. */
const USAGE = { input_tokens: 200, cache_read_input_tokens: 1000, cache_creation_input_tokens: 500, output_tokens: 80 };
const withUsage = { headers: { 'x-fake-usage': JSON.stringify(USAGE) } };
/** Input includes both cache counts (the OTel inclusive rule). */
const TOKENS = { input: 1700, output: 80, cache_read: 1000, cache_creation: 500 };
const expected = () => expectedCost('anthropic', MODEL, { input: 1700, output: 80, cacheRead: 1000, cacheWrite: 500 });

function client(mw: Modelwatch, options: ConstructorParameters<typeof Anthropic>[0] = {}): Anthropic {
  return instrumentAnthropic(new Anthropic({ apiKey: 'test-key', baseURL: fake.anthropicBaseUrl, maxRetries: 0, ...options }), mw);
}

describe('instrumentAnthropic: messages', () => {
  it('records a call with its exact tokens and cost, cache reads and writes included, and returns the SDK’s own APIPromise', async () => {
    const mw = newModelwatch();
    const promise = client(mw).messages.create(request, withUsage);
    expect(promise).toBeInstanceOf(APIPromise);
    const message = await promise;
    expect(message.usage).toMatchObject(USAGE);
    const samples = await scrape(mw);
    expect(calls(samples, { ...labels, gen_ai_operation_name: 'chat', error_type: '' })).toBe(1);
    expect(tokens(samples, labels)).toEqual(TOKENS);
    expectCloseTo(cost(samples, labels), expected());
    expectTimePerOutputToken(samples, labels, TOKENS.output);
    expect(internalErrors(samples)).toEqual({});
  });

  it('keeps withResponse() working, recording the call once with its usage', async () => {
    const mw = newModelwatch();
    const { data, response, request_id } = await client(mw).messages.create(request, withUsage).withResponse();
    expect(response.status).toBe(200);
    expect(request_id).toBe(fake.requests.at(-1)?.requestId);
    expect(data.usage.output_tokens).toBe(80);
    const samples = await scrape(mw);
    expect(calls(samples)).toBe(1);
    expect(tokens(samples, labels)).toEqual(TOKENS);
  });

  it('records the tokens of a tool-use turn', async () => {
    const mw = newModelwatch();
    const message = await client(mw).messages.create(
      { ...request, tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }], tool_choice: { type: 'any' } },
      withUsage,
    );
    expect(message.stop_reason).toBe('tool_use');
    expect(tokens(await scrape(mw), labels)).toEqual(TOKENS);
  });

  it('records beta.messages.create too', async () => {
    const mw = newModelwatch();
    await client(mw).beta.messages.create(request, withUsage);
    expect(tokens(await scrape(mw), labels)).toEqual(TOKENS);
  });

  it('leaves other clients and the SDK classes alone, does nothing when instrumenting again, and follows withOptions()', async () => {
    const mw = newModelwatch();
    const prototypeCreate = Anthropic.Messages.prototype.create;
    const instrumented = client(mw);
    expect(instrumentAnthropic(instrumented, mw)).toBe(instrumented);
    const other = new Anthropic({ apiKey: 'test-key', baseURL: fake.anthropicBaseUrl, maxRetries: 0 });
    await instrumented.messages.create(request);
    await other.messages.create(request);
    await instrumented.withOptions({ timeout: 5000 }).messages.create(request);
    expect(Anthropic.Messages.prototype.create).toBe(prototypeCreate);
    expect(calls(await scrape(mw))).toBe(2);
  });
});

describe('instrumentAnthropic: streams', () => {
  it('records time to first chunk and the usage of message_start and message_delta, handing back the SDK’s Stream', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).messages.create({ ...request, stream: true }, withUsage);
    expect(stream).toBeInstanceOf(Stream);
    const listenersWhileOpen = getEventListeners(stream.controller.signal, 'abort').length;
    const types = new Set<string>();
    for await (const event of stream) types.add(event.type);
    expect([...types]).toEqual(expect.arrayContaining(['message_start', 'content_block_delta', 'message_delta', 'message_stop']));
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples, labels)).toBe(1);
    expect(tokens(samples, labels)).toEqual(TOKENS);
    expectCloseTo(cost(samples, labels), expected());
    expectTimePerOutputToken(samples, labels, TOKENS.output);
    expect(getEventListeners(stream.controller.signal, 'abort').length).toBe(listenersWhileOpen - 1);
  });

  it('records the messages.stream() helper once, with its usage', async () => {
    const mw = newModelwatch();
    const helper = client(mw).messages.stream(request, withUsage);
    let text = '';
    helper.on('text', (delta) => (text += delta));
    const message = await helper.finalMessage();
    expect(text.length).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBe(80);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples)).toBe(1);
    expect(tokens(samples, labels)).toEqual(TOKENS);
  });

  it('records a stream left with break once, as a success with the input usage of message_start', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).messages.create({ ...request, stream: true }, withUsage);
    for await (const event of stream) if (event.type === 'content_block_delta') break;
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples)).toBe(1);
    expect(tokens(samples, labels)).toMatchObject({ input: 1700, cache_read: 1000, cache_creation: 500 });
    // message_start's output count (1) leaves a stream no token after its first.
    expect(timedTokenCalls(samples)).toBe(0);
  });

  // Real pacing (7 ms a token), so each abort lands while the SDK waits for the next event.
  const withSlowFake = async (test: (slow: Anthropic, mw: Modelwatch) => Promise<void>) => {
    const slowFake = await startFakeProviders({ timeScale: 1, seed: 4 });
    try {
      const mw = newModelwatch();
      await test(client(mw, { baseURL: slowFake.anthropicBaseUrl }), mw);
    } finally {
      await slowFake.close();
    }
  };
  const long = { headers: { 'x-fake-output-tokens': '200' } };

  it('records a stream aborted through its controller as canceled; the loop ends quietly', () =>
    withSlowFake(async (slow, mw) => {
      const stream = await slow.messages.create({ ...request, stream: true }, long);
      let deltas = 0;
      for await (const event of stream) if (event.type === 'content_block_delta' && ++deltas === 1) setTimeout(() => stream.controller.abort(), 20);
      expect(deltas).toBeLessThan(100);
      const samples = await scrape(mw);
      expect(onlyErrorType(samples)).toBe('canceled');
      expect(firstChunks(samples)).toBe(1);
    }));

  it('records a messages.stream() helper aborted with abort() as canceled', () =>
    withSlowFake(async (slow, mw) => {
      const helper = slow.messages.stream(request, long);
      helper.once('text', () => setTimeout(() => helper.abort(), 20));
      await expect(helper.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
      expect(onlyErrorType(await scrape(mw))).toBe('canceled');
    }));

  it('records a stream cut by a dropped connection as connection_error', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).messages.create({ ...request, stream: true }, { headers: { 'x-fake-fault': 'disconnect' } });
    const read = async () => {
      for await (const _event of stream);
    };
    await expect(read()).rejects.toThrow();
    expect(onlyErrorType(await scrape(mw))).toBe('connection_error');
  });

  it('keeps tee() working: both halves get every event, and the call is recorded once', async () => {
    const mw = newModelwatch();
    const [left, right] = (await client(mw).messages.create({ ...request, stream: true }, withUsage)).tee();
    const collect = async (half: typeof left) => {
      const types: string[] = [];
      for await (const event of half) types.push(event.type);
      return types;
    };
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a).toEqual(b);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples, labels)).toEqual(TOKENS);
  });
});

describe('instrumentAnthropic: error types', () => {
  it.each([
    ['rate_limit', 'rate_limited', Anthropic.RateLimitError],
    ['server_error', 'server_error', Anthropic.InternalServerError],
    ['overloaded', 'server_error', Anthropic.InternalServerError],
    ['disconnect', 'connection_error', Anthropic.APIConnectionError],
  ] as const)('x-fake-fault: %s → %s', async (fault, errorType, errorClass) => {
    const mw = newModelwatch();
    await expect(client(mw).messages.create(request, { headers: { 'x-fake-fault': fault } })).rejects.toBeInstanceOf(errorClass);
    expect(onlyErrorType(await scrape(mw))).toBe(errorType);
  });

  it('records a 4xx as client_error', async () => {
    const mw = newModelwatch();
    await expect(client(mw).messages.create(request, { headers: { 'x-fake-usage': 'not json' } })).rejects.toBeInstanceOf(Anthropic.BadRequestError);
    expect(onlyErrorType(await scrape(mw))).toBe('client_error');
  });

  it('records the SDK’s timeout as timeout', async () => {
    const mw = newModelwatch();
    await expect(client(mw, { timeout: 100 }).messages.create(request, { headers: { 'x-fake-fault': 'timeout' } })).rejects.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect(onlyErrorType(await scrape(mw))).toBe('timeout');
  });

  it('records a refused connection as connection_error', async () => {
    const mw = newModelwatch();
    const refused = instrumentAnthropic(new Anthropic({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${await closedPort()}`, maxRetries: 0 }), mw);
    await expect(refused.messages.create(request)).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
    expect(onlyErrorType(await scrape(mw))).toBe('connection_error');
  });

  it('records a request the application aborts as canceled', async () => {
    const mw = newModelwatch();
    const controller = new AbortController();
    const pending = client(mw).messages.create(request, { signal: controller.signal, headers: { 'x-fake-fault': 'timeout' } });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(onlyErrorType(await scrape(mw))).toBe('canceled');
  });

  it.each([
    ['overloaded_error', 'server_error'],
    ['api_error', 'server_error'],
    ['rate_limit_error', 'rate_limited'],
  ])('records a mid-stream %s event as %s', async (type, errorType) => {
    // A 200 stream that fails later: the SDK throws an APIError without a status, whose `type` says what happened.
    const events = [
      { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: MODEL, content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Red' } },
      { type: 'error', error: { type, message: 'failed mid-stream' } },
    ];
    const body = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
    const mw = newModelwatch();
    const sse = instrumentAnthropic(
      new Anthropic({ apiKey: 'test-key', maxRetries: 0, fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }) }),
      mw,
    );
    const stream = await sse.messages.create({ ...request, stream: true });
    const read = async () => {
      for await (const _event of stream);
    };
    await expect(read()).rejects.toBeInstanceOf(Anthropic.APIError);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe(errorType);
    expect(firstChunks(samples)).toBe(1);
  });
});
