import { describe, expect, it, vi } from 'vitest';
import { createModelwatch, type Modelwatch } from '../modelwatch';
import { parseExposition, valueOf } from '@modelwatch/testkit';
import { capture } from './__fixtures__/capture';
import { logAiCalls, type AiCallLogOptions } from './ai-call-log';
import { createLogger } from './create-logger';

/** Priced by override so the cost is exact: $1 / $2 per 1M input / output tokens, $0.5 per 1M cached input tokens. */
const PRICED = { provider: 'openai', model: 'test-model' };
const TRACE = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };

function start(options?: AiCallLogOptions, level = 'debug') {
  const mw = createModelwatch({
    defaultMetrics: false,
    prices: { overrides: [{ ...PRICED, inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.5 }] },
  });
  const out = capture();
  const logger = createLogger({ transports: out.transport, level, service: 'assistant' });
  const log = vi.spyOn(logger, 'log');
  const stop = logAiCalls(mw, logger, options);
  return { mw, out, log, stop, lines: async () => (await out.flush(), out.entries()) };
}

/** A whole OpenAI chat response: usage, and the prompt and completion text that must never be logged. */
function chatResponse(completion: string) {
  return {
    id: 'chatcmpl-1',
    model: 'test-model',
    messages: [{ role: 'user', content: 'PROMPT: my card is 4111 1111 1111 1111' }],
    choices: [{ index: 0, message: { role: 'assistant', content: completion } }],
    usage: {
      prompt_tokens: 1000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 200 },
      completion_tokens_details: { reasoning_tokens: 100 },
    },
  };
}

describe('logAiCalls', () => {
  it('writes one info line per call with its model, timings, tokens, cost and trace', async () => {
    const { mw, lines } = start();
    mw.recordAiCall(PRICED, { durationSeconds: 1.2345, timeToFirstChunkSeconds: 0.2, usage: chatResponse('COMPLETION text'), trace: TRACE });

    const [line, ...rest] = await lines();
    expect(rest).toEqual([]);
    expect(line).toEqual({
      timestamp: expect.any(String),
      level: 'info',
      message: 'ai call',
      service: 'assistant',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'test-model',
      'gen_ai.operation.name': 'chat',
      duration_ms: 1234.5,
      ttft_ms: 200,
      tokens_input: 1000,
      tokens_output: 500,
      tokens_cache_read: 200,
      tokens_cache_creation: 0,
      tokens_reasoning: 100,
      // 800 uncached × $1 + 200 cached × $0.5 + 500 output × $2, per million
      cost_usd: expect.closeTo(0.0019, 12),
      trace_id: TRACE.traceId,
      span_id: TRACE.spanId,
    });
  });

  it('writes a failed call at warn with its error type, and no token or cost fields', async () => {
    const { mw, lines } = start();
    mw.recordAiCall({ ...PRICED, operation: 'embeddings' }, { durationSeconds: 0.3, errorType: 'rate_limited' });
    const [line] = await lines();
    expect(line).toEqual({
      timestamp: expect.any(String),
      level: 'warn',
      message: 'ai call',
      service: 'assistant',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'test-model',
      'gen_ai.operation.name': 'embeddings',
      duration_ms: 300,
      error_type: 'rate_limited',
    });
  });

  it('marks a call of an unpriced model instead of writing a $0 cost', async () => {
    const { mw, lines } = start();
    mw.recordAiCall({ provider: 'acme', model: 'in-house-7b' }, { durationSeconds: 0.1, usage: { prompt_tokens: 10, completion_tokens: 5 } });
    const [line] = await lines();
    expect(line).toMatchObject({ tokens_input: 10, tokens_output: 5, cost_unpriced: true });
    expect(line).not.toHaveProperty('cost_usd');
  });

  it('never writes prompt or completion text, from observeAiCall or recordAiCall', async () => {
    const { mw, out, lines } = start();
    await mw.observeAiCall(PRICED, async () => chatResponse('COMPLETION: the secret plan'));
    await expect(mw.observeAiCall(PRICED, async () => Promise.reject(Object.assign(new Error('PROMPT echoed in error'), { status: 500 })))).rejects.toThrow();
    mw.recordAiCall(PRICED, { durationSeconds: 0.5, usage: chatResponse('COMPLETION again') });

    const entries = await lines();
    expect(entries.map((e) => e.level)).toEqual(['info', 'warn', 'info']);
    expect(entries[0]).toMatchObject({ tokens_input: 1000, cost_usd: expect.closeTo(0.0019, 12) });
    expect(entries[1]).toMatchObject({ error_type: 'server_error' });
    const raw = out.lines.join('\n');
    for (const text of ['PROMPT', 'COMPLETION', '4111', 'secret plan', '"role"', 'chatcmpl']) expect(raw).not.toContain(text);
  });

  it('uses the configured levels and message', async () => {
    const { mw, lines } = start({ level: 'debug', errorLevel: 'error', message: 'model call' });
    mw.recordAiCall(PRICED, { durationSeconds: 0.1 });
    mw.recordAiCall(PRICED, { durationSeconds: 0.1, errorType: 'timeout' });
    expect((await lines()).map((e) => [e.level, e.message])).toEqual([
      ['debug', 'model call'],
      ['error', 'model call'],
    ]);
  });

  it('falls back to info and warn for levels the logger does not have', async () => {
    const { mw, lines } = start({ level: 'notice', errorLevel: 'critical' });
    mw.recordAiCall(PRICED, { durationSeconds: 0.1 });
    mw.recordAiCall(PRICED, { durationSeconds: 0.1, errorType: 'timeout' });
    expect((await lines()).map((e) => e.level)).toEqual(['info', 'warn']);
  });

  it('does not build the lines of a level the logger drops: with LOG_LEVEL warn, only failed calls reach it', async () => {
    const { mw, log, lines } = start({}, 'warn');
    mw.recordAiCall(PRICED, { durationSeconds: 0.1 });
    mw.recordAiCall(PRICED, { durationSeconds: 0.1, errorType: 'timeout' });
    expect((await lines()).map((e) => e.level)).toEqual(['warn']);
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('stops logging when told to', async () => {
    const { mw, stop, lines } = start();
    mw.recordAiCall(PRICED, { durationSeconds: 0.1 });
    stop();
    mw.recordAiCall(PRICED, { durationSeconds: 0.1 });
    expect(await lines()).toHaveLength(1);
  });

  it('never throws into the AI call when the logger fails; the failure is counted', async () => {
    const mw: Modelwatch = createModelwatch({ defaultMetrics: false });
    logAiCalls(mw, {
      levels: { error: 0, warn: 1, info: 2 },
      isLevelEnabled: () => true,
      log: () => {
        throw new Error('transport down');
      },
    } as unknown as Parameters<typeof logAiCalls>[1]);
    expect(() => mw.recordAiCall(PRICED, { durationSeconds: 0.1 })).not.toThrow();
    const samples = parseExposition(await mw.metrics()).samples;
    expect(valueOf(samples, 'modelwatch_instrumentation_errors_total', { reason: 'internal' })).toBe(1);
  });
});
