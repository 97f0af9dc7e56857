// @google/genai is an ES module: its types are imported as such, its classes at run time (beforeAll).
import type { CallableTool, GenerateContentResponseUsageMetadata, GoogleGenAI as GoogleGenAIClient, GoogleGenAIOptions } from '@google/genai' with { 'resolution-mode': 'import' };
import { startFakeProviders } from '@modelwatch/fake-providers';
import { select } from '@modelwatch/testkit';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { WARNING_CODE, type ModelwatchWarning } from '../warnings/warnings';
import { calls, closedPort, cost, expectCloseTo, expectedCost, firstChunks, internalErrors, newModelwatch, onlyErrorType, scrape, timedTokenCalls, tokens } from './__fixtures__/harness';
import { instrumentGoogleGenAI, modelOf, type GoogleGenAIInstrumentationOptions } from './google-genai';
import { uninstrument } from './patch';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
type GenAI = typeof import('@google/genai', { with: { 'resolution-mode': 'import' } });
let fake: Fake;
let GoogleGenAI: GenAI['GoogleGenAI'];
let ApiError: GenAI['ApiError'];

beforeAll(async () => {
  ({ GoogleGenAI, ApiError } = await import('@google/genai'));
  fake = await startFakeProviders({ timeScale: 0, seed: 23 });
});
afterAll(async () => {
  await fake?.close();
});

const MODEL = 'gemini-2.5-flash';
const labels = { gen_ai_provider_name: 'gcp.gemini', gen_ai_request_model: MODEL };
const request = { model: MODEL, contents: 'Name three colours.' };
/**
 * Usage the fake reports, in Gemini's field names: 2000 prompt tokens of which 1200 read from
 * the cache, 80 visible output tokens and 300 thoughts (billed as output, reported outside
 * candidatesTokenCount).
 */
const USAGE = { promptTokenCount: 2000, cachedContentTokenCount: 1200, candidatesTokenCount: 80, thoughtsTokenCount: 300 };
const withUsage = { httpOptions: { headers: { 'x-fake-usage': JSON.stringify(USAGE) } } };
/** Output includes the thoughts, reasoning is their count (the OTel inclusive rule). */
const TOKENS = { input: 2000, output: 380, cache_read: 1200, reasoning: 300 };
const expected = () => expectedCost('google', MODEL, { input: 2000, output: 380, cacheRead: 1200 });
const fault = (kind: string) => ({ httpOptions: { headers: { 'x-fake-fault': kind } } });

function client(mw: Modelwatch, clientOptions: GoogleGenAIOptions = {}, options?: GoogleGenAIInstrumentationOptions): GoogleGenAIClient {
  return instrumentGoogleGenAI(new GoogleGenAI({ apiKey: 'test-key', ...clientOptions, httpOptions: { baseUrl: fake.geminiBaseUrl, ...clientOptions.httpOptions } }), mw, options);
}

/** The token counts a usageMetadata stands for: input with the cached tokens, output with the thoughts. */
function tokensOf(usage: GenerateContentResponseUsageMetadata | undefined): Record<string, number> {
  const counts: Record<string, number> = {
    input: usage?.promptTokenCount ?? 0,
    output: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    cache_read: usage?.cachedContentTokenCount ?? 0,
    reasoning: usage?.thoughtsTokenCount ?? 0,
  };
  return Object.fromEntries(Object.entries(counts).filter(([, value]) => value > 0));
}

describe('instrumentGoogleGenAI: generateContent', () => {
  it('records a call with its exact tokens and cost, cached tokens and thoughts included', async () => {
    const mw = newModelwatch();
    const response = await client(mw).models.generateContent({ ...request, config: withUsage });
    expect(response.usageMetadata).toMatchObject(USAGE);
    const samples = await scrape(mw);
    expect(calls(samples, { ...labels, gen_ai_operation_name: 'generate_content', error_type: '' })).toBe(1);
    expect(tokens(samples, labels)).toEqual(TOKENS);
    expectCloseTo(cost(samples, labels), expected());
    expect(timedTokenCalls(samples, labels)).toBe(1);
    expect(internalErrors(samples)).toEqual({});
  });

  it('records the counts the fake’s thinking model and implicit cache really reported', async () => {
    const mw = newModelwatch();
    const gemini = client(mw);
    const systemInstruction = 'You answer questions about colour. '.repeat(200);
    const first = (await gemini.models.generateContent({ ...request, config: { systemInstruction } })).usageMetadata;
    const second = (await gemini.models.generateContent({ ...request, contents: 'Name four colours.', config: { systemInstruction } })).usageMetadata;
    expect(first?.cachedContentTokenCount).toBeUndefined();
    expect(second?.cachedContentTokenCount).toBeGreaterThan(1000);
    expect(second?.thoughtsTokenCount).toBeGreaterThan(0);
    const samples = await scrape(mw);
    const [a, b] = [tokensOf(first), tokensOf(second)];
    const sum = (type: string) => (a[type] ?? 0) + (b[type] ?? 0);
    expect(tokens(samples, labels)).toEqual({ input: sum('input'), output: sum('output'), cache_read: sum('cache_read'), reasoning: sum('reasoning') });
    const costOf = (usage: Record<string, number>) => expectedCost('google', MODEL, { input: usage.input ?? 0, output: usage.output ?? 0, cacheRead: usage.cache_read ?? 0 });
    expectCloseTo(cost(samples, labels), costOf(a) + costOf(b));
  });

  it('names the model without the models/ prefix', async () => {
    const mw = newModelwatch();
    await client(mw).models.generateContent({ ...request, model: `models/${MODEL}`, config: withUsage });
    expect(tokens(await scrape(mw), labels)).toEqual(TOKENS);
  });

  it('records each request of automatic function calling, with its own tokens', async () => {
    const mw = newModelwatch();
    const weather: CallableTool = {
      tool: async () => ({ functionDeclarations: [{ name: 'get_weather' }] }),
      callTool: async () => [{ functionResponse: { name: 'get_weather', response: { output: 'sunny' } } }],
    };
    const before = fake.requests.length;
    await client(mw).models.generateContent({ ...request, config: { ...withUsage, tools: [weather], automaticFunctionCalling: { maximumRemoteCalls: 2 } } });
    expect(fake.requests.length - before).toBe(2);
    const samples = await scrape(mw);
    expect(calls(samples, labels)).toBe(2);
    expect(tokens(samples, labels)).toEqual({ input: 4000, output: 760, cache_read: 2400, reasoning: 600 });
  });

  it('records chat turns (chats.create().sendMessage) through the same models', async () => {
    const mw = newModelwatch();
    const chat = client(mw).chats.create({ model: MODEL, config: withUsage });
    await chat.sendMessage({ message: 'Hello' });
    await chat.sendMessage({ message: 'And again' });
    expect(calls(await scrape(mw), labels)).toBe(2);
  });

  it('records embedContent as embeddings, with the input tokens and their cost', async () => {
    const mw = newModelwatch();
    const response = await client(mw).models.embedContent({ model: 'gemini-embedding-001', contents: ['What is your name?', 'Blue'] });
    expect(response.embeddings).toHaveLength(2);
    const embedding = { gen_ai_provider_name: 'gcp.gemini', gen_ai_request_model: 'gemini-embedding-001' };
    const samples = await scrape(mw);
    expect(calls(samples, { ...embedding, gen_ai_operation_name: 'embeddings', error_type: '' })).toBe(1);
    expect(tokens(samples, embedding)).toEqual({ input: 6 });
    expectCloseTo(cost(samples, embedding), expectedCost('google', 'gemini-embedding-001', { input: 6, output: 0 }));
  });

  it('records gcp.vertex_ai for a client in Vertex AI mode, and the provider named in the options', async () => {
    const mw = newModelwatch();
    await client(mw, { vertexai: true }).models.generateContent({ ...request, config: withUsage });
    expect(fake.requests.at(-1)?.path).toBe(`POST /gemini/v1beta1/publishers/google/models/${MODEL}:generateContent`);
    await client(mw, {}, { provider: 'gcp.gen_ai' }).models.generateContent(request);
    const samples = await scrape(mw);
    expect(tokens(samples, { ...labels, gen_ai_provider_name: 'gcp.vertex_ai' })).toEqual(TOKENS);
    expect(calls(samples, { ...labels, gen_ai_provider_name: 'gcp.gen_ai' })).toBe(1);
  });

  it('counts an answer from another model (modelVersion) as a substitution and prices it on that model, streamed or not', async () => {
    const mw = newModelwatch();
    const fallback = { httpOptions: { headers: { 'x-fake-served-model': MODEL, 'x-fake-usage': JSON.stringify(USAGE) } } };
    const pro = { ...request, model: 'gemini-2.5-pro', config: fallback };
    const gemini = client(mw);
    expect((await gemini.models.generateContent(pro)).modelVersion).toBe(MODEL);
    for await (const _chunk of await gemini.models.generateContentStream(pro));
    const samples = await scrape(mw);
    const substitutions = select(samples, 'modelwatch_gen_ai_model_substitutions_total').map((s) => [s.labels.gen_ai_request_model, s.labels.gen_ai_response_model, s.value]);
    expect(substitutions).toEqual([['gemini-2.5-pro', MODEL, 2]]);
    const asked = { ...labels, gen_ai_request_model: 'gemini-2.5-pro' };
    expectCloseTo(cost(samples, asked), 2 * expected());
  });

  it('books a call, and a stream read outside the scope, on the tenant and feature of the scope it started in', async () => {
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, attribution: true });
    const gemini = client(mw);
    await mw.attribute({ tenant: 'acme', feature: 'support-bot' }, () => gemini.models.generateContent({ ...request, config: withUsage }));
    const stream = await mw.attribute({ tenant: 'globex', feature: 'chat' }, () => gemini.models.generateContentStream({ ...request, config: withUsage }));
    for await (const _chunk of stream);
    const samples = await scrape(mw);
    const attributed = (tenant: string, feature: string) => select(samples, 'modelwatch_gen_ai_attributed_cost_usd_total', { tenant, feature })[0]?.value;
    expectCloseTo(attributed('acme', 'support-bot'), expected());
    expectCloseTo(attributed('globex', 'chat'), expected());
  });

  it('puts the server of the base URL, the request parameters and the served model on the span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, tracing: { tracerProvider } });
    const response = await client(mw).models.generateContent({ ...request, config: { maxOutputTokens: 64, temperature: 0.2, topK: 40, stopSequences: ['END'] } });
    const { port } = new URL(fake.geminiBaseUrl);
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_k': 40,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.response.id': response.responseId,
    });
    expect(span?.attributes).not.toHaveProperty('gen_ai.request.top_p');
  });

  it('leaves other clients and the SDK classes alone, and warns once when instrumenting again', async () => {
    const warnings: ModelwatchWarning[] = [];
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, warn: (warning) => warnings.push(warning) });
    const instrumented = client(mw);
    const other = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: fake.geminiBaseUrl } });
    expect(instrumentGoogleGenAI(instrumented, mw)).toBe(instrumented);
    expect(warnings).toEqual([{ code: WARNING_CODE.clientInstrumentedTwice, message: expect.stringContaining('instrumentGoogleGenAI() was called on a client it had already instrumented') }]);
    await instrumented.models.generateContent(request);
    await other.models.generateContent(request);
    expect(Object.keys(instrumented.models)).toEqual(Object.keys(other.models));
    expect(calls(await scrape(mw))).toBe(1);
  });

  it('is taken off by uninstrument(), and can be instrumented anew', async () => {
    const gemini = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: fake.geminiBaseUrl } });
    const models = gemini.models as unknown as Record<string, unknown>;
    const own = models.generateContentInternal;
    const first = newModelwatch();
    instrumentGoogleGenAI(gemini, first);
    expect(models.generateContentInternal).not.toBe(own);
    expect(uninstrument(gemini)).toBe(true);
    expect(models.generateContentInternal).toBe(own);
    expect(['generateContentInternal', 'generateContentStreamInternal', 'embedContentInternal'].filter((name) => Object.prototype.hasOwnProperty.call(models, name))).toEqual([]);
    await gemini.models.generateContent(request);
    expect(calls(await scrape(first))).toBe(0);
    const second = newModelwatch();
    instrumentGoogleGenAI(gemini, second);
    await gemini.models.generateContent(request);
    expect(calls(await scrape(second))).toBe(1);
  });

  it('never breaks the call when recording fails', async () => {
    const mw = newModelwatch();
    vi.spyOn(mw, 'startAiCall').mockImplementation(() => {
      throw new Error('broken recorder');
    });
    const response = await client(mw).models.generateContent({ ...request, config: withUsage });
    expect(response.usageMetadata?.promptTokenCount).toBe(2000);
    const samples = await scrape(mw);
    expect(calls(samples)).toBe(0);
    expect(internalErrors(samples)).toEqual({ internal: 1 });
  });
});

describe('instrumentGoogleGenAI: streams', () => {
  it('records time to first chunk and the usage of the last chunk', async () => {
    const mw = newModelwatch();
    const chunks = [];
    for await (const chunk of await client(mw).models.generateContentStream({ ...request, config: withUsage })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples, labels)).toBe(1);
    expect(tokens(samples, labels)).toEqual(TOKENS);
    expectCloseTo(cost(samples, labels), expected());
    expect(timedTokenCalls(samples, labels)).toBe(1);
  });

  it('records the usage the fake streamed when none is forced', async () => {
    const mw = newModelwatch();
    let last: GenerateContentResponseUsageMetadata | undefined;
    for await (const chunk of await client(mw).models.generateContentStream(request)) last = chunk.usageMetadata;
    expect(last?.thoughtsTokenCount).toBeGreaterThan(0);
    expect(tokens(await scrape(mw), labels)).toEqual(tokensOf(last));
  });

  it('records a stream left with break once, as a success with the usage of the chunks read', async () => {
    const mw = newModelwatch();
    let first: GenerateContentResponseUsageMetadata | undefined;
    for await (const chunk of await client(mw).models.generateContentStream({ ...request, config: { httpOptions: { headers: { 'x-fake-output-tokens': '200' } } } })) {
      first = chunk.usageMetadata;
      break;
    }
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples)).toBe(1);
    expect(tokens(samples, labels)).toEqual(tokensOf(first));
    expect(first?.candidatesTokenCount).toBeLessThan(200);
  });

  it('records a stream aborted through config.abortSignal as canceled', async () => {
    const slowFake = await startFakeProviders({ timeScale: 1, seed: 4 });
    try {
      const mw = newModelwatch();
      const slow = instrumentGoogleGenAI(new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: slowFake.geminiBaseUrl } }), mw);
      const controller = new AbortController();
      const stream = await slow.models.generateContentStream({
        ...request,
        config: { abortSignal: controller.signal, thinkingConfig: { thinkingBudget: 0 }, httpOptions: { headers: { 'x-fake-output-tokens': '400' } } },
      });
      let chunks = 0;
      const read = async () => {
        for await (const _chunk of stream) if (++chunks === 1) controller.abort();
      };
      await expect(read()).rejects.toThrow();
      expect(chunks).toBeLessThan(25);
      const samples = await scrape(mw);
      expect(onlyErrorType(samples)).toBe('canceled');
      expect(firstChunks(samples)).toBe(1);
    } finally {
      await slowFake.close();
    }
  });

  it('records a stream cut by a dropped connection as connection_error', async () => {
    const mw = newModelwatch();
    const stream = await client(mw).models.generateContentStream({ ...request, config: fault('disconnect') });
    const read = async () => {
      for await (const _chunk of stream);
    };
    await expect(read()).rejects.toThrow();
    expect(onlyErrorType(await scrape(mw))).toBe('connection_error');
  });

  it.each([
    ['RESOURCE_EXHAUSTED', 429, 'rate_limited'],
    ['UNAVAILABLE', 503, 'server_error'],
  ])('records a %s error event inside a 200 stream as %s', async (status, code, errorType) => {
    const body = [
      { candidates: [{ content: { parts: [{ text: 'Red, ' }], role: 'model' }, index: 0 }], usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 2, totalTokenCount: 12 }, modelVersion: MODEL },
      { error: { code, message: 'failed mid-stream', status } },
    ]
      .map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`)
      .join('');
    const mw = newModelwatch();
    const sse = instrumentGoogleGenAI(
      new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: 'http://127.0.0.1:9', fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }) } }),
      mw,
    );
    const read = async () => {
      for await (const _chunk of await sse.models.generateContentStream(request));
    };
    await expect(read()).rejects.toBeInstanceOf(ApiError);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe(errorType);
    expect(firstChunks(samples)).toBe(1);
  });
});

describe('instrumentGoogleGenAI: error types', () => {
  it.each([
    ['rate_limit', 429, 'rate_limited'],
    ['server_error', 500, 'server_error'],
    ['overloaded', 503, 'server_error'],
  ] as const)('x-fake-fault: %s → ApiError %i → %s, streamed or not', async (kind, status, errorType) => {
    for (const stream of [false, true]) {
      const mw = newModelwatch();
      const gemini = client(mw);
      const call = stream ? gemini.models.generateContentStream({ ...request, config: fault(kind) }) : gemini.models.generateContent({ ...request, config: fault(kind) });
      const error: unknown = await call.then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status });
      expect(onlyErrorType(await scrape(mw))).toBe(errorType);
    }
  });

  it('records a 400 as client_error', async () => {
    const mw = newModelwatch();
    // Pro only works in thinking mode: a budget of 0 is refused.
    await expect(client(mw).models.generateContent({ ...request, model: 'gemini-2.5-pro', config: { thinkingConfig: { thinkingBudget: 0 } } })).rejects.toBeInstanceOf(ApiError);
    expect(onlyErrorType(await scrape(mw))).toBe('client_error');
  });

  it('records the SDK’s timeout as timeout', async () => {
    const mw = newModelwatch();
    await expect(client(mw, { httpOptions: { timeout: 100 } }).models.generateContent({ ...request, config: fault('timeout') })).rejects.toThrow();
    expect(onlyErrorType(await scrape(mw))).toBe('timeout');
  });

  it('records a refused connection as connection_error', async () => {
    const mw = newModelwatch();
    const refused = instrumentGoogleGenAI(new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: `http://127.0.0.1:${await closedPort()}` } }), mw);
    await expect(refused.models.generateContent(request)).rejects.toThrow();
    expect(onlyErrorType(await scrape(mw))).toBe('connection_error');
  });

  it('records a request aborted through config.abortSignal as canceled', async () => {
    const mw = newModelwatch();
    const controller = new AbortController();
    const pending = client(mw).models.generateContent({ ...request, config: { abortSignal: controller.signal, ...fault('timeout') } });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow();
    expect(onlyErrorType(await scrape(mw))).toBe('canceled');
  });
});

describe('instrumentGoogleGenAI: bad responses', () => {
  /** A client whose every request answers `body` with status 200. */
  const answering = (mw: Modelwatch, body: unknown) =>
    instrumentGoogleGenAI(new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: 'http://127.0.0.1:9', fetch: async () => Response.json(body) } }), mw);
  const candidates = [{ content: { parts: [{ text: 'Red.' }], role: 'model' }, finishReason: 'STOP', index: 0 }];

  it('records a response without usageMetadata as a call without tokens', async () => {
    const mw = newModelwatch();
    const response = await answering(mw, { candidates, modelVersion: MODEL }).models.generateContent(request);
    expect(response.text).toBe('Red.');
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples)).toEqual({});
    expect(internalErrors(samples)).toEqual({});
  });

  it.each([
    ['counts that are not numbers', { promptTokenCount: 'lots', candidatesTokenCount: 3 }, 'invalid_tokens'],
    ['negative counts', { promptTokenCount: 10, candidatesTokenCount: -3 }, 'invalid_tokens'],
    ['more cached tokens than prompt tokens', { promptTokenCount: 10, cachedContentTokenCount: 50 }, 'invalid_tokens'],
    ['a usageMetadata of another shape', { tokens: 12 }, 'unknown_usage_shape'],
  ])('counts %s in modelwatch_instrumentation_errors_total, never throwing', async (_name, usageMetadata, reason) => {
    const mw = newModelwatch();
    const response = await answering(mw, { candidates, usageMetadata, modelVersion: MODEL }).models.generateContent(request);
    expect(response.text).toBe('Red.');
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples)).toEqual({});
    expect(internalErrors(samples)).toEqual({ [reason]: 1 });
  });
});

describe('modelOf', () => {
  it.each([
    ['gemini-2.5-flash', 'gemini-2.5-flash'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['tunedModels/my-model-123', 'tunedModels/my-model-123'],
  ])('%s → %s', (model, name) => {
    expect(modelOf({ model })).toBe(name);
  });

  it('is empty without a model', () => {
    expect(modelOf({})).toBe('');
    expect(modelOf(undefined)).toBe('');
  });
});
