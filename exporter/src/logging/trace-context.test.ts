import { context, INVALID_SPAN_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOffSampler, AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import winston from 'winston';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delay } from '../test-support/http-client';
import { capture } from './__fixtures__/capture';
import { createLogger } from './create-logger';
import { traceContext } from './formats';

const sampled = new BasicTracerProvider({ sampler: new AlwaysOnSampler() }).getTracer('test');
const unsampled = new BasicTracerProvider({ sampler: new AlwaysOffSampler() }).getTracer('test');

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
});

afterAll(() => {
  context.disable();
});

function start() {
  const out = capture();
  return { out, logger: createLogger({ transports: out.transport, service: 'svc' }) };
}

describe('trace ids on createLogger lines', () => {
  it('carries the ids of the active span, also after an await, and none outside it', async () => {
    const { out, logger } = start();
    const ids = await sampled.startActiveSpan('handle', async (span) => {
      logger.info('in span');
      await delay(5);
      logger.info('after await');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    await out.flush();

    const [inSpan, afterAwait, outside] = out.entries();
    const expected = { trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' };
    expect(inSpan).toMatchObject(expected);
    expect(afterAwait).toMatchObject(expected);
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    for (const field of ['trace_id', 'span_id', 'trace_flags']) expect(outside).not.toHaveProperty(field);
  });

  it('carries the ids of an unsampled span, with trace_flags 00', async () => {
    const { out, logger } = start();
    const ids = unsampled.startActiveSpan('dropped', (span) => {
      logger.info('unsampled');
      span.end();
      return span.spanContext();
    });
    await out.flush();
    expect(out.entries()[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '00' });
  });

  it('adds nothing for an invalid span context', async () => {
    const { out, logger } = start();
    context.with(trace.setSpan(context.active(), trace.wrapSpanContext(INVALID_SPAN_CONTEXT)), () => logger.info('invalid'));
    await out.flush();
    expect(out.entries()[0]).not.toHaveProperty('trace_id');
  });

  it('keeps a trace_id the entry already has', async () => {
    const { out, logger } = start();
    sampled.startActiveSpan('handle', (span) => {
      logger.info('from elsewhere', { trace_id: 'f'.repeat(32), span_id: 'e'.repeat(16) });
      span.end();
    });
    await out.flush();
    expect(out.entries()[0]).toMatchObject({ trace_id: 'f'.repeat(32), span_id: 'e'.repeat(16) });
    expect(out.entries()[0]).not.toHaveProperty('trace_flags');
  });
});

describe('traceContext() on your own winston logger', () => {
  it('adds the ids without touching the object the caller logged', async () => {
    const out = capture();
    const logger = winston.createLogger({ format: winston.format.combine(traceContext(), winston.format.json()), transports: [out.transport] });
    const entry = { message: 'own logger', user: 'ada' };
    const ids = sampled.startActiveSpan('handle', (span) => {
      logger.info(entry);
      span.end();
      return span.spanContext();
    });
    await out.flush();
    expect(out.entries()[0]).toEqual({ level: 'info', message: 'own logger', user: 'ada', trace_id: ids.traceId, span_id: ids.spanId, trace_flags: '01' });
    expect(entry).not.toHaveProperty('trace_id');
  });

  it('returns the entry with log_error instead of throwing when the entry cannot be read', () => {
    const hostile = new Proxy({ level: 'info', message: 'x' } as Record<string | symbol, unknown>, {
      ownKeys() {
        throw new Error('no keys for you');
      },
    });
    const result = sampled.startActiveSpan('handle', (span) => {
      const transformed = traceContext().transform(hostile as winston.Logform.TransformableInfo, {});
      span.end();
      return transformed;
    });
    expect(result).toMatchObject({ level: 'info', message: '[Unreadable]', log_error: 'traceContext: no keys for you' });
  });
});
