import winston from 'winston';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { capture } from './__fixtures__/capture';
import { createLogger, resolveLevel, serviceFromEnv, type CreateLoggerOptions } from './create-logger';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeEach(() => {
  // The machine's own settings must not leak into the expectations.
  vi.stubEnv('LOG_LEVEL', undefined);
  vi.stubEnv('OTEL_SERVICE_NAME', undefined);
  vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', undefined);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

function start(options: CreateLoggerOptions = {}) {
  const out = capture();
  return { out, logger: createLogger({ ...options, transports: out.transport }) };
}

describe('createLogger line shape', () => {
  it('writes one JSON object per line: timestamp, level, message, service first, then the fields', async () => {
    const { out, logger } = start({ service: 'checkout' });
    const before = Date.now();
    logger.info('order placed', { order_id: 'o-1', items: 3 });
    logger.warn('stock low');
    await out.flush();

    expect(out.lines).toHaveLength(2);
    const [first, second] = out.entries();
    expect(Object.keys(first!)).toEqual(['timestamp', 'level', 'message', 'service', 'order_id', 'items']);
    expect(first).toMatchObject({ level: 'info', message: 'order placed', service: 'checkout', order_id: 'o-1', items: 3 });
    expect(first!.timestamp).toMatch(ISO_8601);
    expect(Date.parse(first!.timestamp as string)).toBeGreaterThanOrEqual(before - 1);
    expect(second).toEqual({ timestamp: expect.stringMatching(ISO_8601), level: 'warn', message: 'stock low', service: 'checkout' });
  });

  it('interpolates printf-style arguments and keeps the trailing meta object', async () => {
    const { out, logger } = start();
    logger.info('user %s retried %d times', 'ada', 3, { region: 'eu' });
    await out.flush();
    expect(out.entries()[0]).toMatchObject({ message: 'user ada retried 3 times', region: 'eu' });
  });

  it.each([
    { shape: 'logger.error(error)', log: (l: winston.Logger, e: Error) => l.error(e), message: 'disk full' },
    { shape: "logger.error('msg', error)", log: (l: winston.Logger, e: Error) => l.error('write failed', e), message: 'write failed disk full' },
    { shape: 'logger.log({ level, message: error })', log: (l: winston.Logger, e: Error) => l.log({ level: 'error', message: e as unknown as string }), message: 'disk full' },
  ])('writes the message and stack of $shape', async ({ log, message }) => {
    const { out, logger } = start();
    const error = Object.assign(new Error('disk full'), { code: 'ENOSPC' });
    log(logger, error);
    await out.flush();
    const [entry] = out.entries();
    expect(entry).toMatchObject({ level: 'error', message, code: 'ENOSPC' });
    expect(entry!.stack).toMatch(/^Error: disk full\n\s+at /);
    expect(error.message).toBe('disk full');
  });

  it('leaves the meta object passed by the caller as it was', async () => {
    const { out, logger } = start({ service: 'checkout' });
    const meta = { user: { id: 7, password: 'hunter2' }, tags: ['a'] };
    const snapshot = structuredClone(meta);
    logger.info('login', meta);
    await out.flush();
    expect(meta).toEqual(snapshot);
    expect(Object.getOwnPropertySymbols(meta)).toEqual([]);
  });

  it('writes to the console by default', () => {
    const logger = createLogger();
    expect(logger.transports).toHaveLength(1);
    expect(logger.transports[0]).toBeInstanceOf(winston.transports.Console);
  });
});

describe('createLogger level', () => {
  async function levelsWritten(options: CreateLoggerOptions = {}) {
    const { out, logger } = start(options);
    for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly']) logger.log(level, `at ${level}`);
    await out.flush();
    return { level: logger.level, entries: out.entries() };
  }

  it('is info by default', async () => {
    const { level, entries } = await levelsWritten();
    expect(level).toBe('info');
    expect(entries.map((e) => e.level)).toEqual(['error', 'warn', 'info']);
  });

  it.each([
    { env: 'debug', level: 'debug' },
    { env: 'WARN', level: 'warn' },
    { env: ' error ', level: 'error' },
    { env: 'warning', level: 'warn' },
    { env: 'trace', level: 'silly' },
    { env: 'fatal', level: 'error' },
    { env: '', level: 'info' },
  ])('reads LOG_LEVEL=$env as $level', async ({ env, level }) => {
    vi.stubEnv('LOG_LEVEL', env);
    const written = await levelsWritten();
    expect(written.level).toBe(level);
    expect(written.entries.at(-1)!.level).toBe(level);
  });

  it('prefers the level option over LOG_LEVEL', async () => {
    vi.stubEnv('LOG_LEVEL', 'error');
    expect((await levelsWritten({ level: 'debug' })).level).toBe('debug');
  });

  it.each([
    { source: 'LOG_LEVEL', requested: 'verbos', options: {} as CreateLoggerOptions, env: 'verbos' },
    { source: 'options.level', requested: 'loud', options: { level: 'loud' }, env: undefined },
  ])('falls back to info on an invalid $source and says so in one warning', async ({ source, requested, options, env }) => {
    vi.stubEnv('LOG_LEVEL', env);
    const { level, entries } = await levelsWritten(options);
    expect(level).toBe('info');
    expect(entries[0]).toMatchObject({ level: 'warn', message: 'invalid log level; using info', log_level_requested: requested, log_level_source: source });
    expect(entries.slice(1).map((e) => e.level)).toEqual(['error', 'warn', 'info']);
  });

  it('resolves levels without throwing on any input', () => {
    expect(resolveLevel(undefined)).toBe('info');
    expect(resolveLevel('Verbose')).toBe('verbose');
    expect(resolveLevel('constructor')).toBeUndefined();
    expect(resolveLevel('__proto__')).toBeUndefined();
  });
});

describe('createLogger service', () => {
  it('takes OTEL_SERVICE_NAME', async () => {
    vi.stubEnv('OTEL_SERVICE_NAME', 'billing');
    vi.stubEnv('OTEL_RESOURCE_ATTRIBUTES', 'service.name=other');
    const { out, logger } = start();
    logger.info('x');
    await out.flush();
    expect(out.entries()[0]!.service).toBe('billing');
  });

  it('takes service.name from OTEL_RESOURCE_ATTRIBUTES, percent-decoded, when OTEL_SERVICE_NAME is unset', () => {
    expect(serviceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod, service.name=ai%20gateway' })).toBe('ai gateway');
    expect(serviceFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=shop' })).toBeUndefined();
    expect(serviceFromEnv({ OTEL_SERVICE_NAME: '  ', OTEL_RESOURCE_ATTRIBUTES: 'service.name=%E0' })).toBe('%E0');
  });

  it('writes no service field without a name, and an entry keeps its own', async () => {
    const { out, logger } = start();
    logger.info('anonymous');
    await out.flush();
    expect(out.entries()[0]).not.toHaveProperty('service');

    const named = start({ service: 'api' });
    named.logger.info('from the worker', { service: 'worker' });
    await named.out.flush();
    expect(named.out.entries()[0]!.service).toBe('worker');
  });
});
