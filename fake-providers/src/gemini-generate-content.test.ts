import type { ApiError } from '@google/genai' with { 'resolution-mode': 'import' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, filler, startRig, thrown, type TestRig } from './test-support/clients';

const hello = 'Hello';
// "<start_of_turn>user\nHello<end_of_turn>\n<start_of_turn>model\n" is 60 characters: 15 tokens.
const HELLO_PROMPT_TOKENS = 15;
const noThinking = { thinkingConfig: { thinkingBudget: 0 } };

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.providers.close());

describe('gemini generateContent', () => {
  it('answers a GenerateContentResponse the SDK parses, with modelVersion, responseId and usageMetadata', async () => {
    const response = await rig.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: hello, config: noThinking });
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(response.responseId).toMatch(/^[\w-]{23}$/);
    expect(response.candidates?.[0]).toMatchObject({ finishReason: 'STOP', index: 0, content: { role: 'model' } });
    const text = response.text ?? '';
    expect(text.length).toBeGreaterThan(0);
    expect(response.usageMetadata).toEqual({
      promptTokenCount: HELLO_PROMPT_TOKENS,
      candidatesTokenCount: text.length / 4,
      totalTokenCount: HELLO_PROMPT_TOKENS + text.length / 4,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: HELLO_PROMPT_TOKENS }],
    });
    expect(rig.providers.requests.at(-1)).toMatchObject({ provider: 'gemini', path: 'POST /gemini/v1/models/gemini-2.5-flash:generateContent', model: 'gemini-2.5-flash', stream: false, status: 200 });
  });

  it('reports a thinking model’s thoughts in thoughtsTokenCount, outside candidatesTokenCount and inside totalTokenCount', async () => {
    const response = await rig.gemini.models.generateContent({ model: 'gemini-2.5-pro', contents: hello });
    const usage = response.usageMetadata ?? {};
    const visible = (response.text ?? '').length / 4;
    expect(usage.thoughtsTokenCount).toBeGreaterThan(0);
    expect(usage.candidatesTokenCount).toBe(visible);
    expect(usage.totalTokenCount).toBe(HELLO_PROMPT_TOKENS + visible + (usage.thoughtsTokenCount ?? 0));
  });

  it('rejects a thinking budget of 0 for Pro, which only works in thinking mode', async () => {
    const error = await thrown(() => rig.gemini.models.generateContent({ model: 'gemini-2.5-pro', contents: hello, config: noThinking }));
    expect(error).toMatchObject({ name: 'ApiError', status: 400 });
    expect(JSON.parse((error as ApiError).message)).toEqual({ error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Budget 0 is invalid. This model only works in thinking mode.' } });
  });

  it('caps thoughts and text together at maxOutputTokens, finishing with MAX_TOKENS', async () => {
    const response = await rig.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: hello, config: { maxOutputTokens: 20 } });
    const usage = response.usageMetadata ?? {};
    expect(response.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect((usage.thoughtsTokenCount ?? 0) + (usage.candidatesTokenCount ?? 0)).toBe(20);
  });

  it('reports a repeated long prefix as cachedContentTokenCount (implicit caching), included in promptTokenCount', async () => {
    const system = filler(3000, 'gemini-cache');
    const ask = (question: string) => rig.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: question, config: { ...noThinking, systemInstruction: system } });
    const first = await ask('First question?');
    expect(first.usageMetadata?.cachedContentTokenCount).toBeUndefined();
    const second = await ask('Second question?');
    const usage = second.usageMetadata ?? {};
    expect(usage.cachedContentTokenCount).toBeGreaterThanOrEqual(2900);
    expect(usage.cachedContentTokenCount).toBeLessThan(usage.promptTokenCount ?? 0);
    expect(usage.cacheTokensDetails).toEqual([{ modality: 'TEXT', tokenCount: usage.cachedContentTokenCount }]);
  });

  it('calls the first declared function unless the mode is NONE', async () => {
    const { FunctionCallingConfigMode } = await import('@google/genai');
    const tools = [{ functionDeclarations: [{ name: 'get_weather' }, { name: 'get_time' }] }];
    const called = await rig.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: hello, config: { ...noThinking, tools } });
    expect(called.functionCalls).toEqual([{ name: 'get_weather', args: {} }]);
    const named = await rig.gemini.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: hello,
      config: { ...noThinking, tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_time'] } } },
    });
    expect(named.functionCalls?.[0]?.name).toBe('get_time');
    const none = await rig.gemini.models.generateContent({ model: 'gemini-2.5-flash', contents: hello, config: { ...noThinking, tools, toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.NONE } } } });
    expect(none.functionCalls).toBeUndefined();
    expect(none.text?.length).toBeGreaterThan(0);
  });

  it('applies x-fake-usage over usageMetadata and recomputes totalTokenCount', async () => {
    const usage = { promptTokenCount: 2000, cachedContentTokenCount: 1500, candidatesTokenCount: 50, thoughtsTokenCount: 300 };
    const response = await rig.gemini.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: hello,
      config: { httpOptions: { headers: { 'x-fake-usage': JSON.stringify(usage) } } },
    });
    expect(response.usageMetadata).toMatchObject({ ...usage, totalTokenCount: 2350 });
  });

  it('answers an unknown model, echoing its name, and refuses to generate with an embedding model', async () => {
    const unknown = await rig.gemini.models.generateContent({ model: 'gemini-9-experimental', contents: hello });
    expect(unknown.modelVersion).toBe('gemini-9-experimental');
    const error = await thrown(() => rig.gemini.models.generateContent({ model: 'gemini-embedding-001', contents: hello }));
    expect((error as ApiError).status).toBe(404);
    expect(JSON.parse((error as ApiError).message).error).toMatchObject({ code: 404, status: 'NOT_FOUND' });
  });
});

describe('gemini streamGenerateContent', () => {
  it('streams chunks of text whose usageMetadata grows to the JSON answer’s, the last one carrying finishReason', async () => {
    const params = { model: 'gemini-2.5-flash', contents: hello, config: { thinkingConfig: { thinkingBudget: 1024 } } };
    const chunks = await collect(await rig.gemini.models.generateContentStream(params));
    const json = await rig.gemini.models.generateContent(params);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(json.text);
    expect(chunks.slice(0, -1).every((chunk) => chunk.candidates?.[0]?.finishReason === undefined)).toBe(true);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata).toEqual(json.usageMetadata);
    const candidates = chunks.map((chunk) => chunk.usageMetadata?.candidatesTokenCount ?? 0);
    expect(candidates).toEqual([...candidates].sort((a, b) => a - b));
    expect(chunks.every((chunk) => chunk.usageMetadata?.thoughtsTokenCount === json.usageMetadata?.thoughtsTokenCount)).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.responseId)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.modelVersion === 'gemini-2.5-flash')).toBe(true);
    expect(rig.providers.requests.at(-2)).toMatchObject({ path: 'POST /gemini/v1/models/gemini-2.5-flash:streamGenerateContent', stream: true, status: 200 });
  });

  it('streams a function call as one chunk', async () => {
    const tools = [{ functionDeclarations: [{ name: 'get_weather' }] }];
    const chunks = await collect(await rig.gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: hello, config: { tools } }));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.functionCalls).toEqual([{ name: 'get_weather', args: {} }]);
  });

  it('answers a fault with a Google RPC error the SDK throws as ApiError with its status', async () => {
    for (const [fault, status, rpc] of [['rate_limit', 429, 'RESOURCE_EXHAUSTED'], ['server_error', 500, 'INTERNAL'], ['overloaded', 503, 'UNAVAILABLE']] as const) {
      const error = await thrown(async () => collect(await rig.gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: hello, config: { httpOptions: { headers: { 'x-fake-fault': fault } } } })));
      expect(error).toMatchObject({ name: 'ApiError', status });
      expect(JSON.parse((error as ApiError).message).error).toMatchObject({ code: status, status: rpc });
    }
  });

  it('cuts a stream under a disconnect fault after its first chunks', async () => {
    const stream = await rig.gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: hello, config: { ...noThinking, httpOptions: { headers: { 'x-fake-fault': 'disconnect', 'x-fake-output-tokens': '200' } } } });
    const seen: string[] = [];
    const error = await thrown(async () => {
      for await (const chunk of stream) seen.push(chunk.text ?? '');
    });
    expect(error).toBeInstanceOf(Error);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join('').length).toBeLessThan(800);
  });
});

describe('gemini timing', () => {
  it('sends the first chunk after the time to first token and the thoughts, one output-token time each', async () => {
    const thinker = { provider: 'gemini' as const, name: 'thinker', ttftMedianMs: 100, ttftSigma: 0, prefillMsPer1kTokens: 0, msPerOutputToken: 1, reasoningTokensMedian: 200 };
    const timed = await startRig({ timeScale: 1, models: [thinker] });
    try {
      const firstChunk = async (config: object) => {
        const started = performance.now();
        const stream = await timed.gemini.models.generateContentStream({ model: 'thinker', contents: hello, config });
        const first = await stream.next();
        const elapsed = performance.now() - started;
        for await (const _chunk of stream);
        return { elapsed, thoughts: first.value?.usageMetadata?.thoughtsTokenCount ?? 0 };
      };
      const thinking = await firstChunk({});
      expect(thinking.thoughts).toBeGreaterThan(0);
      expect(thinking.elapsed).toBeGreaterThanOrEqual(100 + thinking.thoughts - 5);
      const quick = await firstChunk(noThinking);
      expect(quick.thoughts).toBe(0);
      expect(quick.elapsed).toBeGreaterThanOrEqual(95);
    } finally {
      await timed.providers.close();
    }
  });
});

describe('gemini Vertex AI paths', () => {
  it('serves the same JSON under publishers/google/models (Vertex AI express mode)', async () => {
    const { GoogleGenAI } = await import('@google/genai');
    const vertex = new GoogleGenAI({ vertexai: true, apiKey: 'test', httpOptions: { baseUrl: rig.providers.geminiBaseUrl } });
    const response = await vertex.models.generateContent({ model: 'gemini-2.5-flash', contents: hello, config: noThinking });
    expect(response.modelVersion).toBe('gemini-2.5-flash');
    expect(rig.providers.requests.at(-1)?.path).toBe('POST /gemini/v1beta1/publishers/google/models/gemini-2.5-flash:generateContent');
  });
});
