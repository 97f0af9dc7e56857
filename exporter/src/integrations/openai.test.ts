import { getEventListeners } from 'node:events';
import { startFakeProviders } from '@modelwatch/fake-providers';
import OpenAI, { APIPromise } from 'openai';
import { Stream } from 'openai/streaming';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createModelwatch } from '../modelwatch';
import type { Modelwatch } from '../modelwatch';
import { calls, closedPort, cost, expectCloseTo, expectedCost, expectTimePerOutputToken, firstChunks, internalErrors, newModelwatch, onlyErrorType, scrape, timedTokenCalls, tokens } from './__fixtures__/harness';
import { instrumentOpenAI, withStreamUsage } from './openai';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
let fake: Fake;

beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 11 });
});
afterAll(async () => {
  await fake?.close();
});

const MODEL = 'gpt-4o-mini';
const labels = { gen_ai_provider_name: 'openai', gen_ai_request_model: MODEL };
const chat = { model: MODEL, messages: [{ role: 'user' as const, content: 'Name three colours.' }] };
/** Usage the fake reports, in OpenAI's field names: 1200 prompt tokens of which 1000 cached, 80 completion tokens. */
const CHAT_USAGE = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1000 } };
const chatUsage = { headers: { 'x-fake-usage': JSON.stringify(CHAT_USAGE) } };
const CHAT_TOKENS = { input: 1200, output: 80, cache_read: 1000 };
const chatCost = () => expectedCost('openai', MODEL, { input: 1200, output: 80, cacheRead: 1000 });

function client(mw: Modelwatch, options: ConstructorParameters<typeof OpenAI>[0] = {}, instrumentation = {}): OpenAI {
  return instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl, maxRetries: 0, ...options }), mw, instrumentation);
}

const abortListeners = (stream: { controller: AbortController }) => getEventListeners(stream.controller.signal, 'abort').length;

describe('instrumentOpenAI: chat completions', () => {
  it('records a call with its exact tokens and cost, and returns the SDK’s own APIPromise', async () => {
    const mw = newModelwatch();
    const promise = client(mw).chat.completions.create(chat, chatUsage);
    expect(promise).toBeInstanceOf(APIPromise);
    const completion = await promise;
    expect(completion.usage).toMatchObject(CHAT_USAGE);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(calls(samples, { ...labels, gen_ai_operation_name: 'chat', error_type: '' })).toBe(1);
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
    expectCloseTo(cost(samples, labels), chatCost());
    expect(firstChunks(samples)).toBe(0);
    expectTimePerOutputToken(samples, labels, CHAT_TOKENS.output);
    expect(internalErrors(samples)).toEqual({});
  });

  it('keeps withResponse() working, recording the call once with its usage', async () => {
    const mw = newModelwatch();
    const { data, response, request_id } = await client(mw).chat.completions.create(chat, chatUsage).withResponse();
    expect(response.status).toBe(200);
    expect(request_id).toBe(fake.requests.at(-1)?.requestId);
    expect(data.usage?.prompt_tokens).toBe(1200);
    const samples = await scrape(mw);
    expect(calls(samples)).toBe(1);
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
  });

  it('records a call read with asResponse() alone when its headers arrive, without tokens, leaving the body to the application', async () => {
    const mw = newModelwatch();
    const response = await client(mw).chat.completions.create(chat, chatUsage).asResponse();
    expect(calls(await scrape(mw), { error_type: '' })).toBe(1);
    const body = (await response.json()) as { usage: unknown };
    expect(body.usage).toMatchObject(CHAT_USAGE);
    const samples = await scrape(mw);
    expect(calls(samples)).toBe(1);
    expect(tokens(samples)).toEqual({});
  });

  it('records the tokens of a call with tool calls, and its finish', async () => {
    const mw = newModelwatch();
    const completion = await client(mw).chat.completions.create(
      {
        ...chat,
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
        tool_choice: 'required',
      },
      chatUsage,
    );
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
  });

  it('leaves other clients and the SDK classes alone, and does nothing when instrumenting again', async () => {
    const mw = newModelwatch();
    const prototypeCreate = OpenAI.Chat.Completions.prototype.create;
    const instrumented = client(mw);
    expect(instrumentOpenAI(instrumented, mw)).toBe(instrumented);
    expect(instrumentOpenAI(instrumented, newModelwatch(), { includeStreamUsage: true })).toBe(instrumented);
    const other = new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl, maxRetries: 0 });
    await instrumented.chat.completions.create(chat);
    await other.chat.completions.create(chat);
    expect(OpenAI.Chat.Completions.prototype.create).toBe(prototypeCreate);
    expect(Object.keys(instrumented.chat.completions)).toEqual(Object.keys(other.chat.completions));
    expect(calls(await scrape(mw))).toBe(1);
  });

  it('instruments the clients made with withOptions()', async () => {
    const mw = newModelwatch();
    const derived = client(mw).withOptions({ timeout: 5000 });
    await derived.chat.completions.create(chat, chatUsage);
    expect(tokens(await scrape(mw), labels)).toEqual(CHAT_TOKENS);
  });

  it('records a call once however many times the SDK retried it', async () => {
    const mw = newModelwatch();
    const before = fake.requests.length;
    await expect(client(mw, { maxRetries: 1 }).chat.completions.create(chat, { headers: { 'x-fake-fault': 'rate_limit' } })).rejects.toThrow(OpenAI.RateLimitError);
    expect(fake.requests.length - before).toBe(2);
    expect(onlyErrorType(await scrape(mw))).toBe('rate_limited');
  });

  it('records the provider named in the options, for OpenAI-compatible services', async () => {
    const mw = newModelwatch();
    await client(mw, {}, { provider: 'groq' }).chat.completions.create(chat);
    expect(calls(await scrape(mw), { gen_ai_provider_name: 'groq', gen_ai_request_model: MODEL })).toBe(1);
  });

  it('records each call under its own model when the model changes from one call to the next, in turn or at once', async () => {
    const mw = newModelwatch();
    const openai = client(mw);
    const ask = (model: string) => openai.chat.completions.create({ ...chat, model });
    await ask(MODEL);
    await ask('gpt-4o');
    await ask(MODEL);
    await Promise.all([ask('gpt-4o'), ask(MODEL), ask('gpt-4o')]);
    const samples = await scrape(mw);
    expect(calls(samples, { gen_ai_request_model: MODEL })).toBe(3);
    expect(calls(samples, { gen_ai_request_model: 'gpt-4o' })).toBe(3);
    expect(calls(samples)).toBe(6);
  });

  it('puts the server of the client’s baseURL and the request parameters on the span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, tracing: { tracerProvider } });
    await client(mw).chat.completions.create({ ...chat, max_completion_tokens: 64, temperature: 0.2, stop: 'END' });
    const { port } = new URL(fake.openaiBaseUrl);
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.stop_sequences': ['END'],
    });
    expect(span?.attributes).not.toHaveProperty('gen_ai.request.top_p');
  });

  it('never breaks the call when recording fails', async () => {
    const mw = newModelwatch();
    vi.spyOn(mw, 'startAiCall').mockImplementation(() => {
      throw new Error('broken recorder');
    });
    const completion = await client(mw).chat.completions.create(chat, chatUsage);
    expect(completion.usage?.prompt_tokens).toBe(1200);
    const samples = await scrape(mw);
    expect(calls(samples)).toBe(0);
    expect(internalErrors(samples)).toEqual({ internal: 1 });
  });
});

describe('instrumentOpenAI: chat completion streams', () => {
  const streamed = { ...chat, stream: true as const, stream_options: { include_usage: true } };

  it('records time to first chunk and the usage of the final chunk, handing back the SDK’s Stream', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(streamed, chatUsage);
    expect(stream).toBeInstanceOf(Stream);
    const listenersWhileOpen = abortListeners(stream);
    let text = '';
    let last: OpenAI.Chat.Completions.ChatCompletionChunk | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      last = chunk;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(last?.usage).toMatchObject(CHAT_USAGE);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples, labels)).toBe(1);
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
    expectCloseTo(cost(samples, labels), chatCost());
    expectTimePerOutputToken(samples, labels, CHAT_TOKENS.output);
    // Nothing of the call is left on the request's signal.
    expect(abortListeners(stream)).toBe(listenersWhileOpen - 1);
  });

  it('records a stream left with break once, as a success with the usage seen so far', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(streamed, chatUsage);
    let chunks = 0;
    for await (const _chunk of stream) if (++chunks === 2) break;
    expect(stream.controller.signal.aborted).toBe(true); // the SDK closes the request
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples)).toBe(1);
    expect(tokens(samples)).toEqual({});
  });

  it('records a stream aborted through its controller while a read is pending as canceled; the loop ends quietly', async () => {
    // Real pacing (7 ms a token), so the abort lands while the SDK waits for the next chunk.
    const slow = await startFakeProviders({ timeScale: 1, seed: 3 });
    try {
      const mw = newModelwatch();
      const stream = await client(mw, { baseURL: slow.openaiBaseUrl }).chat.completions.create(streamed, { headers: { 'x-fake-output-tokens': '200' } });
      let chunks = 0;
      for await (const _chunk of stream) if (++chunks === 2) setTimeout(() => stream.controller.abort(), 20);
      expect(chunks).toBeLessThan(100);
      const samples = await scrape(mw);
      expect(onlyErrorType(samples)).toBe('canceled');
      expect(firstChunks(samples)).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('records a stream aborted between two reads as canceled, at the abort', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(streamed, chatUsage);
    let chunks = 0;
    for await (const _chunk of stream) {
      if (++chunks < 2) continue;
      stream.controller.abort();
      expect(onlyErrorType(await scrape(mw))).toBe('canceled');
      break;
    }
    expect(onlyErrorType(await scrape(mw))).toBe('canceled');
  });

  it('records a stream aborted before anyone read it as canceled, at the abort', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(streamed, chatUsage);
    stream.controller.abort();
    expect(onlyErrorType(await scrape(mw))).toBe('canceled');
    for await (const _chunk of stream) throw new Error('an aborted stream yields nothing');
    expect(calls(await scrape(mw))).toBe(1);
  });

  it('records a stream cut by a dropped connection as connection_error', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(streamed, { headers: { 'x-fake-fault': 'disconnect' } });
    const read = async () => {
      for await (const _chunk of stream);
    };
    await expect(read()).rejects.toThrow();
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('connection_error');
    expect(firstChunks(samples)).toBe(1);
  });

  it('keeps tee() working: both halves get every chunk, and the call is recorded once', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(streamed, chatUsage);
    const [left, right] = stream.tee();
    const collect = async (half: typeof left) => {
      const ids: (string | null)[] = [];
      for await (const chunk of half) ids.push(chunk.choices[0]?.delta.content ?? null);
      return ids;
    };
    const [a, b] = await Promise.all([collect(left), collect(right)]);
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(2);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
  });

  it('keeps toReadableStream() working, and its cancel() ends the call as a success', async () => {
    const mw = newModelwatch();
    const readable = (await client(mw).chat.completions.create(streamed, chatUsage)).toReadableStream();
    const reader = readable.getReader();
    // The first chunk only names the role; the next ones carry text.
    for (let i = 0; i < 3; i++) expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples)).toBe(1);
  });

  it('records streams through the stream() helper', async () => {
    const mw = newModelwatch();
    const runner = client(mw).chat.completions.stream(streamed, chatUsage);
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples)).toBe(1);
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
  });

  it('records a stream of tool-call deltas with its time to first chunk', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create(
      { ...streamed, tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }], tool_choice: 'required' },
      chatUsage,
    );
    let sawToolCall = false;
    for await (const chunk of stream) sawToolCall ||= (chunk.choices[0]?.delta.tool_calls?.length ?? 0) > 0;
    expect(sawToolCall).toBe(true);
    const samples = await scrape(mw);
    expect(firstChunks(samples)).toBe(1);
    expect(tokens(samples, labels)).toEqual(CHAT_TOKENS);
  });

  it('records no tokens for a stream without usage, and no error for it', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).chat.completions.create({ ...chat, stream: true }, chatUsage);
    for await (const chunk of stream) expect(chunk.usage ?? null).toBeNull();
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples)).toEqual({});
    expect(timedTokenCalls(samples)).toBe(0);
    expect(internalErrors(samples)).toEqual({});
  });

  it('with includeStreamUsage, asks for usage on streams that did not, and records it', async () => {
    const mw = newModelwatch();
    const body = { ...chat, stream: true as const };
    const stream = await client(mw, {}, { includeStreamUsage: true }).chat.completions.create(body, chatUsage);
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(body).toEqual({ ...chat, stream: true }); // the caller's request object is not changed
    expect(chunks.at(-1)?.choices).toEqual([]); // the extra final chunk the option documents
    expect(tokens(await scrape(mw), labels)).toEqual(CHAT_TOKENS);
  });
});

describe('withStreamUsage', () => {
  it.each([
    ['adds include_usage to a stream that leaves it unset', { stream: true }, { stream: true, stream_options: { include_usage: true } }],
    ['keeps the other stream options', { stream: true, stream_options: { include_obfuscation: false } }, { stream: true, stream_options: { include_obfuscation: false, include_usage: true } }],
    ['respects include_usage: false', { stream: true, stream_options: { include_usage: false } }, { stream: true, stream_options: { include_usage: false } }],
    ['leaves requests that do not stream alone', { stream: false }, { stream: false }],
  ])('%s', (_name, body, expected) => {
    expect(withStreamUsage(body)).toEqual(expected);
  });
});

describe('instrumentOpenAI: error types', () => {
  it.each([
    ['rate_limit', 'rate_limited', OpenAI.RateLimitError],
    ['server_error', 'server_error', OpenAI.InternalServerError],
    ['overloaded', 'server_error', OpenAI.InternalServerError],
    ['disconnect', 'connection_error', OpenAI.APIConnectionError],
  ] as const)('x-fake-fault: %s → %s', async (fault, errorType, errorClass) => {
    const mw = newModelwatch();
    await expect(client(mw).chat.completions.create(chat, { headers: { 'x-fake-fault': fault } })).rejects.toBeInstanceOf(errorClass);
    expect(onlyErrorType(await scrape(mw))).toBe(errorType);
  });

  it('records a 4xx as client_error', async () => {
    const mw = newModelwatch();
    await expect(client(mw).chat.completions.create(chat, { headers: { 'x-fake-usage': 'not json' } })).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    expect(onlyErrorType(await scrape(mw))).toBe('client_error');
  });

  it('records the SDK’s timeout as timeout', async () => {
    const mw = newModelwatch();
    await expect(client(mw, { timeout: 100 }).chat.completions.create(chat, { headers: { 'x-fake-fault': 'timeout' } })).rejects.toBeInstanceOf(
      OpenAI.APIConnectionTimeoutError,
    );
    expect(onlyErrorType(await scrape(mw))).toBe('timeout');
  });

  it('records a refused connection as connection_error', async () => {
    const mw = newModelwatch();
    const refused = instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${await closedPort()}/v1`, maxRetries: 0 }), mw);
    await expect(refused.chat.completions.create(chat)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(onlyErrorType(await scrape(mw))).toBe('connection_error');
  });

  it('records a request the application aborts as canceled', async () => {
    const mw = newModelwatch();
    const controller = new AbortController();
    const pending = client(mw).chat.completions.create(chat, { signal: controller.signal, headers: { 'x-fake-fault': 'timeout' } });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(onlyErrorType(await scrape(mw))).toBe('canceled');
  });
});

describe('instrumentOpenAI: Responses API and embeddings', () => {
  /** Responses API usage: 900 input tokens of which 600 cached, 50 output tokens of which 20 reasoning. */
  const RESPONSE_USAGE = { input_tokens: 900, input_tokens_details: { cached_tokens: 600 }, output_tokens: 50, output_tokens_details: { reasoning_tokens: 20 }, total_tokens: 950 };
  const responseUsage = { headers: { 'x-fake-usage': JSON.stringify(RESPONSE_USAGE) } };
  const RESPONSE_TOKENS = { input: 900, output: 50, cache_read: 600, reasoning: 20 };
  const request = { model: MODEL, input: 'Name three colours.' };

  it('records responses.create as chat, with its tokens and cost', async () => {
    const mw = newModelwatch();
    const response = await client(mw).responses.create(request, responseUsage);
    expect(response.output_text.length).toBeGreaterThan(0);
    const samples = await scrape(mw);
    expect(calls(samples, { ...labels, gen_ai_operation_name: 'chat', error_type: '' })).toBe(1);
    expect(tokens(samples, labels)).toEqual(RESPONSE_TOKENS);
    expectCloseTo(cost(samples, labels), expectedCost('openai', MODEL, { input: 900, output: 50, cacheRead: 600 }));
  });

  it('records a streamed response with the usage of response.completed', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).responses.create({ ...request, stream: true }, responseUsage);
    const types = new Set<string>();
    for await (const event of stream) types.add(event.type);
    expect(types.has('response.completed')).toBe(true);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples, labels)).toBe(1);
    expect(tokens(samples, labels)).toEqual(RESPONSE_TOKENS);
  });

  it('records the responses.stream() helper', async () => {
    const mw = newModelwatch();
    const final = await client(mw).responses.stream(request, responseUsage).finalResponse();
    expect(final.usage?.input_tokens).toBe(900);
    expect(tokens(await scrape(mw), labels)).toEqual(RESPONSE_TOKENS);
  });

  it.each([
    ['rate_limit_exceeded', 'rate_limited'],
    ['server_error', 'server_error'],
    ['invalid_prompt', 'client_error'],
  ])('records a stream ending in response.failed (%s) as %s', async (code, errorType) => {
    const response = { id: 'resp_1', object: 'response', model: MODEL, status: 'failed', error: { code, message: 'failed' }, usage: null };
    const events = [
      { type: 'response.created', sequence_number: 0, response: { ...response, status: 'in_progress', error: null } },
      { type: 'response.output_text.delta', sequence_number: 1, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Re' },
      { type: 'response.failed', sequence_number: 2, response },
    ];
    const body = events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('');
    const mw = newModelwatch();
    const sse = instrumentOpenAI(
      new OpenAI({ apiKey: 'test-key', maxRetries: 0, fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }) }),
      mw,
    );
    const stream = await sse.responses.create({ ...request, stream: true });
    for await (const _event of stream);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe(errorType);
    expect(firstChunks(samples)).toBe(1);
  });

  it('records embeddings.create as embeddings, with its input tokens', async () => {
    const mw = newModelwatch();
    const model = 'text-embedding-3-small';
    const result = await client(mw).embeddings.create({ model, input: ['a', 'b'] }, { headers: { 'x-fake-usage': JSON.stringify({ prompt_tokens: 42, total_tokens: 42 }) } });
    expect(result.data).toHaveLength(2);
    const samples = await scrape(mw);
    const embedding = { gen_ai_provider_name: 'openai', gen_ai_request_model: model, gen_ai_operation_name: 'embeddings' };
    expect(calls(samples, { ...embedding, error_type: '' })).toBe(1);
    expect(tokens(samples, { gen_ai_request_model: model })).toEqual({ input: 42 });
    expect(timedTokenCalls(samples)).toBe(0);
    expectCloseTo(cost(samples, { gen_ai_request_model: model }), expectedCost('openai', model, { input: 42, output: 0 }));
  });
});
