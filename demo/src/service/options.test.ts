import { describe, expect, it } from 'vitest';
import { ConfigError, optionsFromEnv } from './options';

describe('optionsFromEnv', () => {
  it('has working defaults with an empty environment', () => {
    expect(optionsFromEnv({})).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      openaiBaseUrl: undefined,
      anthropicBaseUrl: undefined,
      fakeTimeScale: 1,
      redisUrl: undefined,
      databaseUrl: undefined,
      dataDir: '.data/demo',
      adminToken: undefined,
      cacheTtlSeconds: 600,
      drainTimeoutMs: 10_000,
      memoryLimitMb: undefined,
      instrumentation: true,
    });
  });

  it('turns the instrumentation off with MODELWATCH_DISABLED=1 only', () => {
    expect(optionsFromEnv({ MODELWATCH_DISABLED: '1' }).instrumentation).toBe(false);
    expect(optionsFromEnv({ MODELWATCH_DISABLED: '0' }).instrumentation).toBe(true);
  });

  it('reads every variable of the launcher contract', () => {
    const options = optionsFromEnv({
      PORT: '9090',
      HOST: '0.0.0.0',
      OPENAI_BASE_URL: 'http://127.0.0.1:4000/openai/v1',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4000/anthropic',
      FAKE_PROVIDER_TIME_SCALE: '0.5',
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://u:p@127.0.0.1/db',
      DATA_DIR: '/tmp/x',
      ADMIN_TOKEN: 't',
      LOG_LEVEL: 'debug',
      MEMORY_LIMIT_MB: '512',
    });
    expect(options).toMatchObject({ memoryLimitMb: 512, port: 9090, host: '0.0.0.0', fakeTimeScale: 0.5, redisUrl: 'redis://127.0.0.1:6379', dataDir: '/tmp/x', adminToken: 't', logLevel: 'debug' });
  });

  it.each([
    [{ PORT: 'http' }, 'PORT must be a number between 0 and 65535, got "http"'],
    [{ PORT: '80.5' }, 'PORT must be an integer, got "80.5"'],
    [{ FAKE_PROVIDER_TIME_SCALE: '-1' }, 'FAKE_PROVIDER_TIME_SCALE must be a number between 0 and 100, got "-1"'],
    [{ MEMORY_LIMIT_MB: '1' }, 'MEMORY_LIMIT_MB must be a number between 16 and 1048576, got "1"'],
    [{ DATABASE_URL: 'postgres user:secret@host' }, 'DATABASE_URL is not a valid URL'],
  ])('refuses %j, naming the variable but never echoing a URL', (env, message) => {
    expect(() => optionsFromEnv(env)).toThrow(new ConfigError(message));
  });
});
