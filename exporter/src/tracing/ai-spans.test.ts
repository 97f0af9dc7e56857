import { SpanKind, SpanStatusCode, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createModelwatch, type ModelwatchOptions } from '../modelwatch';
import { parseExposition, valueOf } from '@modelwatch/testkit';
import { registerTestSdk, summarize, type TestSdk } from './__fixtures__/otel-sdk';
import { CONTENT_MAX_LENGTH } from './content';

const AI = { provider: 'openai', model: 'gpt-4o-mini' };
const BASE_ATTRIBUTES = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini' };
const options: ModelwatchOptions = { defaultMetrics: false };
const INPUT_MESSAGES = [{ role: 'user', parts: [{ type: 'text', content: 'What is the capital of France?' }] }];
const OUTPUT_MESSAGES = [{ role: 'assistant', parts: [{ type: 'text', content: 'Paris.' }], finish_reason: 'stop' }];

let sdk: TestSdk;
beforeAll(() => {
  sdk = registerTestSdk();
});
afterAll(async () => {
  await sdk.shutdown();
});
beforeEach(() => {
  sdk.exporter.reset();
});

const spans = () => sdk.spans().map(summarize);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stream like the SDKs return: an async iterable object with extra members. */
function fakeStream<T>(chunks: readonly T[], options: { failAfter?: number } = {}) {
  return {
    controller: new AbortController(),
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < chunks.length; i++) {
        await delay(2);
        if (options.failAfter === i) throw Object.assign(new Error('upstream reset'), { code: 'ECONNRESET' });
        yield chunks[i] as T;
      }
    },
  };
}

const OPENAI_CHUNKS = [
  { id: 'chatcmpl-s1', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta: { content: 'Hel' }, finish_reason: null }], usage: null },
  { id: 'chatcmpl-s1', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta: { content: 'lo' }, finish_reason: 'stop' }], usage: null },
  { id: 'chatcmpl-s1', model: 'gpt-4o-mini-2024-07-18', choices: [], usage: { prompt_tokens: 12, completion_tokens: 2 } },
];

describe('GenAI client span of observeAiCall', () => {
  it('marks a failed call ERROR with error.type and the error message, and rethrows the same error', async () => {
    const mw = createModelwatch(options);
    const error = Object.assign(new Error('Too Many Requests'), { status: 429 });
    const prompt = 'a prompt that must never reach the span';
    await expect(
      mw.observeAiCall(AI, async () => {
        void prompt;
        throw error;
      }),
    ).rejects.toBe(error);
    const [span] = spans();
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toEqual({ ...BASE_ATTRIBUTES, 'error.type': 'rate_limited' });
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Too Many Requests' });
    expect(JSON.stringify(span)).not.toContain(prompt);
  });

  it('ends the span of a call that throws synchronously', () => {
    const mw = createModelwatch(options);
    const error = new TypeError('bad argument');
    expect(() =>
      mw.observeAiCall(AI, () => {
        throw error;
      }),
    ).toThrow(error);
    expect(spans().map((span) => [span.attributes['error.type'], span.status.code])).toEqual([['TypeError', SpanStatusCode.ERROR]]);
  });

  it('names the span by operation and model, and records Anthropic usage under the inclusive rule', async () => {
    const mw = createModelwatch(options);
    await mw.observeAiCall({ provider: 'anthropic', model: 'claude-sonnet-4-5', operation: 'chat' }, async () => ({
      id: 'msg_01',
      type: 'message',
      model: 'claude-sonnet-4-5-20250929',
      stop_reason: 'end_turn',
      usage: { input_tokens: 100, output_tokens: 50, cache_read_input_tokens: 800, cache_creation_input_tokens: 100 },
    }));
    const [span] = spans();
    expect(span!.name).toBe('chat claude-sonnet-4-5');
    expect(span!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.response.id': 'msg_01',
      'gen_ai.response.model': 'claude-sonnet-4-5-20250929',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 800,
      'gen_ai.usage.cache_creation.input_tokens': 100,
    });
  });

  it('is a child of the span active at the call, and the exemplar of the call is the span itself', async () => {
    const mw = createModelwatch(options);
    let inside: string | undefined;
    const summaries: (string | undefined)[] = [];
    mw.onAiCall((call) => summaries.push(call.trace?.spanId));
    await trace.getTracer('test').startActiveSpan('parent', async (parent) => {
      await mw.observeAiCall(AI, async () => {
        inside = trace.getActiveSpan()?.spanContext().spanId;
        return {};
      });
      parent.end();
    });
    const ai = spans().find((span) => span.kind === SpanKind.CLIENT)!;
    const parent = spans().find((span) => span.name === 'parent')!;
    expect(ai.parentSpanId).toBe(parent.spanId);
    expect(inside).toBe(ai.spanId);
    // AI-call listeners (the logger) get the span too.
    expect(summaries).toEqual([ai.spanId]);
  });

  it('does not record content by default, even when the caller hands it over', async () => {
    const mw = createModelwatch(options);
    await mw.observeAiCall(AI, async (handle) => {
      handle.setContent({ input: INPUT_MESSAGES, output: OUTPUT_MESSAGES });
      return {};
    });
    const [span] = spans();
    expect(span!.attributes).toEqual(BASE_ATTRIBUTES);
  });

  it('records content as JSON strings with captureContent, cut at the cap', async () => {
    const mw = createModelwatch({ ...options, tracing: { captureContent: true } });
    await mw.observeAiCall(AI, async (handle) => {
      handle.setContent({ input: INPUT_MESSAGES });
      return {};
    });
    const long = [{ role: 'user', parts: [{ type: 'text', content: 'x'.repeat(CONTENT_MAX_LENGTH) }] }];
    const handle = mw.startAiCall(AI);
    handle.setContent({ input: long, output: JSON.stringify(OUTPUT_MESSAGES) });
    handle.end();
    const [first, second] = spans();
    expect(first!.attributes).toEqual({ ...BASE_ATTRIBUTES, 'gen_ai.input.messages': JSON.stringify(INPUT_MESSAGES) });
    const input = second!.attributes['gen_ai.input.messages'] as string;
    expect(input).toHaveLength(CONTENT_MAX_LENGTH);
    expect(input.endsWith('…[truncated]')).toBe(true);
    expect(second!.attributes['gen_ai.output.messages']).toBe(JSON.stringify(OUTPUT_MESSAGES));
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['false', false],
    ['yes', false],
  ])('reads captureContent from OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=%s when the option is unset', async (value, captured) => {
    const saved = process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
    process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = value;
    try {
      const fromEnv = createModelwatch(options);
      const overridden = createModelwatch({ ...options, tracing: { captureContent: false } });
      for (const mw of [fromEnv, overridden]) mw.observeAiCall(AI, (handle) => handle.setContent({ input: INPUT_MESSAGES }));
    } finally {
      if (saved === undefined) delete process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT;
      else process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = saved;
    }
    expect(spans().map((span) => 'gen_ai.input.messages' in span.attributes)).toEqual([captured, false]);
  });

  it('emits the deprecated gen_ai.system as well with emitLegacyGenAiSystem, and only then', async () => {
    createModelwatch({ ...options, tracing: { emitLegacyGenAiSystem: true } }).observeAiCall(AI, () => ({}));
    createModelwatch(options).observeAiCall(AI, () => ({}));
    expect(spans().map((span) => span.attributes)).toEqual([{ ...BASE_ATTRIBUTES, 'gen_ai.system': 'openai' }, BASE_ATTRIBUTES]);
  });

  it('makes no span with tracing: false, neither for AI calls nor for requests', async () => {
    const mw = createModelwatch({ ...options, tracing: false });
    let active: unknown;
    await mw.observeAiCall(AI, async () => {
      active = trace.getActiveSpan();
      return {};
    });
    mw.startAiCall(AI).end();
    expect(active).toBeUndefined();
    expect(spans()).toEqual([]);
  });

  it('uses the tracerProvider option instead of the global one', () => {
    const other = registerProviderSpy();
    createModelwatch({ ...options, tracing: { tracerProvider: other.provider } }).observeAiCall(AI, () => ({}));
    expect(other.started).toEqual(['chat gpt-4o-mini']);
    expect(spans()).toEqual([]);
  });

  it('never throws into the call when the tracer does: no span, the call is still recorded, and the failure counted', async () => {
    const broken: TracerProvider = {
      getTracer: () =>
        ({
          startSpan: () => {
            throw new Error('tracer broken');
          },
        }) as unknown as Tracer,
    };
    const mw = createModelwatch({ ...options, tracing: { tracerProvider: broken } });
    expect(await mw.observeAiCall(AI, async () => 'answer')).toBe('answer');
    const samples = parseExposition(await mw.metrics()).samples;
    expect(valueOf(samples, 'gen_ai_client_operation_duration_seconds_count', { gen_ai_request_model: 'gpt-4o-mini' })).toBe(1);
    expect(valueOf(samples, 'modelwatch_instrumentation_errors_total', { reason: 'internal' })).toBe(1);
  });
});

describe('GenAI span of a streamed call', () => {
  it('ends when the stream ends, once, with the response read from the chunks', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(AI, async () => fakeStream(OPENAI_CHUNKS));
    expect(spans()).toEqual([]);
    const text: string[] = [];
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toBe('Hello');
    await delay(5);
    const all = spans();
    expect(all).toHaveLength(1);
    const { 'gen_ai.response.time_to_first_chunk': ttfc, ...rest } = all[0]!.attributes;
    expect(ttfc).toBeGreaterThan(0);
    expect(rest).toEqual({
      ...BASE_ATTRIBUTES,
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'chatcmpl-s1',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 2,
    });
  });

  it('ends once when the consumer breaks out early, as a success with what was read', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(AI, async () => fakeStream(OPENAI_CHUNKS));
    for await (const chunk of stream) {
      void chunk;
      break;
    }
    await delay(5);
    const all = spans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: SpanStatusCode.UNSET });
    expect(all[0]!.attributes['gen_ai.response.id']).toBe('chatcmpl-s1');
    expect(all[0]!.attributes['gen_ai.response.finish_reasons']).toBeUndefined();
  });

  it('ends once as an ERROR when the stream fails, and the error reaches the consumer', async () => {
    const mw = createModelwatch(options);
    const stream = await mw.observeAiCall(AI, async () => fakeStream(OPENAI_CHUNKS, { failAfter: 2 }));
    await expect(async () => {
      for await (const chunk of stream) void chunk;
    }).rejects.toThrow('upstream reset');
    await delay(5);
    const all = spans();
    expect(all).toHaveLength(1);
    expect(all[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'upstream reset' });
    expect(all[0]!.attributes['error.type']).toBe('connection_error');
    expect(all[0]!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('reads an Anthropic event stream: id and model from message_start, stop reason and output from message_delta', async () => {
    const mw = createModelwatch(options);
    const events = [
      { type: 'message_start', message: { id: 'msg_s', model: 'claude-haiku-4-5', stop_reason: null, usage: { input_tokens: 20, output_tokens: 1, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } },
      { type: 'message_stop' },
    ];
    const stream = await mw.observeAiCall({ provider: 'anthropic', model: 'claude-haiku-4-5' }, async () => fakeStream(events));
    for await (const event of stream) void event;
    const [span] = spans();
    expect(span!.attributes).toMatchObject({
      'gen_ai.response.id': 'msg_s',
      'gen_ai.response.model': 'claude-haiku-4-5',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 7,
    });
  });

  it('reads an OpenAI Responses API event stream, usage included (span and metrics)', async () => {
    const mw = createModelwatch(options);
    const response = { id: 'resp_1', object: 'response', model: 'gpt-4o-mini-2024-07-18' };
    const events = [
      { type: 'response.created', response: { ...response, status: 'in_progress', usage: null } },
      { type: 'response.output_text.delta', delta: 'Hi' },
      { type: 'response.completed', response: { ...response, status: 'completed', usage: { input_tokens: 30, output_tokens: 4, input_tokens_details: { cached_tokens: 10 } } } },
    ];
    const stream = await mw.observeAiCall(AI, async () => fakeStream(events));
    for await (const event of stream) void event;
    const [span] = spans();
    expect(span!.attributes).toMatchObject({
      'gen_ai.response.id': 'resp_1',
      'gen_ai.response.finish_reasons': ['completed'],
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 4,
      'gen_ai.usage.cache_read.input_tokens': 10,
    });
    const samples = parseExposition(await mw.metrics()).samples;
    expect(valueOf(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'input' })).toBe(30);
  });
});

describe('GenAI span of a started call (startAiCall)', () => {
  it('runs code inside the span with run(), reads the response with readResponse(), and ends once', async () => {
    const mw = createModelwatch(options);
    const handle = mw.startAiCall({ ...AI, requestAttributes: { maxTokens: 64, topP: 0.9, stopSequences: ['\n\n'], seed: 7 } });
    const inside = handle.run(() => trace.getActiveSpan()?.spanContext().spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
    handle.readResponse({ id: 'chatcmpl-h', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, finish_reason: 'length' }] });
    handle.end({ prompt_tokens: 5, completion_tokens: 64 });
    handle.end({ prompt_tokens: 5, completion_tokens: 64 });
    handle.fail(new Error('late'));
    handle.setContent({ input: INPUT_MESSAGES });
    const all = spans();
    expect(all).toHaveLength(1);
    expect(all[0]!.spanId).toBe(inside);
    expect(all[0]!.attributes).toEqual({
      ...BASE_ATTRIBUTES,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.stop_sequences': ['\n\n'],
      'gen_ai.request.seed': 7,
      'gen_ai.response.id': 'chatcmpl-h',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['length'],
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 64,
    });
  });

  it('makes no span for recordAiCall (a call already finished)', () => {
    const mw = createModelwatch(options);
    mw.recordAiCall(AI, { durationSeconds: 1.5, usage: { prompt_tokens: 1, completion_tokens: 1 } });
    expect(spans()).toEqual([]);
  });
});

/** A provider that only notes the names of the spans started on it. */
function registerProviderSpy() {
  const started: string[] = [];
  const noop = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
  const provider: TracerProvider = {
    getTracer: () =>
      ({
        startSpan: (name: string) => {
          started.push(name);
          return noop;
        },
      }) as unknown as Tracer,
  };
  return { provider, started };
}
