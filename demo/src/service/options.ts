import { readFileSync } from 'node:fs';
import type { ProviderOptions } from './providers';
import type { Logger } from './logger';

export interface DemoServiceOptions extends ProviderOptions {
  /** 0 picks a free port. @defaultValue 8080 */
  port?: number;
  /** @defaultValue `127.0.0.1` */
  host?: string;
  /** Redis for the answer cache; unset: in-memory LRU. */
  redisUrl?: string;
  /** PostgreSQL; unset: SQLite in `dataDir`. */
  databaseUrl?: string;
  /** Where the SQLite file lives; `:memory:` for none. @defaultValue `.data/demo` */
  dataDir?: string;
  /** Enables the admin (fault injection) API. @defaultValue disabled */
  adminToken?: string;
  /** Enables the Alertmanager failover webhook (`POST /hooks/alertmanager`) with this bearer token. @defaultValue disabled */
  failoverToken?: string;
  /** How long a model whose failover alert resolved stays on its fallback. @defaultValue 300000 */
  failoverHoldDownMs?: number;
  /** While failed over, one call per interval still tries the model. @defaultValue 10000 */
  failoverTrialMs?: number;
  /** `error` … `debug`, or `silent`. @defaultValue `info` */
  logLevel?: string;
  /** A logger of your own (tests capture lines with it); `logLevel` is then ignored. */
  logger?: Logger;
  /** How long answers stay cached. @defaultValue 600 */
  cacheTtlSeconds?: number;
  /** How long shutdown waits for in-flight requests. @defaultValue 10000 */
  drainTimeoutMs?: number;
  /**
   * The memory the service may use, published as `modelwatch_process_memory_limit_bytes`
   * so memory alerts have a ratio to work with. @defaultValue the cgroup limit, else total system memory
   */
  memoryLimitMb?: number;
  /**
   * `false` runs the same service without Modelwatch: no HTTP middleware, access
   * log, `/metrics`, SDK wrapping, cache or DB recording, and no tracer provider.
   * Only for measuring what the instrumentation costs (`npm run bench`). @defaultValue true
   */
  instrumentation?: boolean;
}

/** Thrown for an invalid environment variable, naming it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The service's options from its environment (see README: Configuration). */
export function optionsFromEnv(env: NodeJS.ProcessEnv): DemoServiceOptions {
  return {
    port: integer(env, 'PORT', 8080, 0, 65_535),
    host: env.HOST || '127.0.0.1',
    openaiBaseUrl: url(env, 'OPENAI_BASE_URL'),
    anthropicBaseUrl: url(env, 'ANTHROPIC_BASE_URL'),
    fakeControlToken: env.FAKE_CONTROL_TOKEN || undefined,
    fakeTimeScale: number(env, 'FAKE_PROVIDER_TIME_SCALE', 1, 0, 100),
    openaiApiKey: env.OPENAI_API_KEY || undefined,
    anthropicApiKey: env.ANTHROPIC_API_KEY || undefined,
    redisUrl: url(env, 'REDIS_URL'),
    databaseUrl: url(env, 'DATABASE_URL'),
    dataDir: env.DATA_DIR || '.data/demo',
    adminToken: env.ADMIN_TOKEN || undefined,
    failoverToken: secret(env, 'FAILOVER_WEBHOOK_TOKEN'),
    failoverHoldDownMs: number(env, 'FAILOVER_HOLD_DOWN_SECONDS', 300, 0, 86_400) * 1000,
    failoverTrialMs: number(env, 'FAILOVER_TRIAL_SECONDS', 10, 0.1, 3600) * 1000,
    logLevel: env.LOG_LEVEL || undefined,
    cacheTtlSeconds: number(env, 'CACHE_TTL_SECONDS', 600, 1, 86_400),
    drainTimeoutMs: number(env, 'DRAIN_TIMEOUT_SECONDS', 10, 0, 300) * 1000,
    memoryLimitMb: env.MEMORY_LIMIT_MB ? number(env, 'MEMORY_LIMIT_MB', 0, 16, 1_048_576) : undefined,
    instrumentation: env.MODELWATCH_DISABLED !== '1',
  };
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new ConfigError(`${name} must be a number between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = number(env, name, fallback, min, max);
  if (!Number.isInteger(value)) throw new ConfigError(`${name} must be an integer, got ${JSON.stringify(env[name])}`);
  return value;
}

/** `NAME`, or the content of the file `NAME_FILE` names (a mounted secret), trimmed. */
function secret(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (!file) return env[name] || undefined;
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch (error) {
    throw new ConfigError(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  try {
    new URL(raw);
  } catch {
    // Never echo the value: it may hold a password.
    throw new ConfigError(`${name} is not a valid URL`);
  }
  return raw;
}
