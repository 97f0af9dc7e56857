import { createClient } from 'redis';
import type { CacheStore } from './cache-store';

export interface RedisStoreOptions {
  url: string;
  /** Longest wait for one command before it counts as a cache error. @defaultValue 250 */
  commandTimeoutMs?: number;
  /** Key prefix, so the demo shares a Redis politely. @defaultValue `modelwatch-demo:` */
  keyPrefix?: string;
  /** Told when the connection fails or comes back (for the log); never throws into the app. */
  onStatus?: (status: 'ready' | 'error', error?: Error) => void;
}

/**
 * Redis through node-redis. Built so Redis going down never hurts the service:
 * commands fail fast while disconnected (no offline queue), each command has a
 * timeout, the client reconnects in the background with backoff, and startup
 * does not wait for Redis.
 */
export function redisStore(options: RedisStoreOptions): CacheStore {
  const prefix = options.keyPrefix ?? 'modelwatch-demo:';
  const timeoutMs = options.commandTimeoutMs ?? 250;
  const client = createClient({
    url: options.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      // Exponential backoff capped at 2 s; never give up while the service runs.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
    },
  });
  let lastError = '';
  client.on('ready', () => {
    lastError = '';
    options.onStatus?.('ready');
  });
  // Without this listener node-redis would crash the process on the first connection error.
  client.on('error', (error: Error) => {
    if (error.message === lastError) return; // one log line per outage, not one per retry
    lastError = error.message;
    options.onStatus?.('error', error);
  });
  // Startup does not wait for Redis: until it answers, every lookup is a counted cache error.
  client.connect().catch(() => undefined);

  const withTimeout = <T>(operation: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis command timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
  };
  const ready = () => {
    if (!client.isReady) throw new Error('Redis is not connected');
  };

  return {
    backend: 'redis',
    async get(key) {
      ready();
      const value = await withTimeout(client.get(prefix + key));
      return value ?? undefined;
    },
    async set(key, value, ttlSeconds) {
      ready();
      await withTimeout(client.set(prefix + key, value, { expiration: { type: 'EX', value: Math.max(1, Math.round(ttlSeconds)) } }));
    },
    async close() {
      // A client still retrying a dead Redis would never finish connecting: destroy it instead of waiting.
      if (client.isReady) await client.close().catch(() => undefined);
      else if (client.isOpen) client.destroy();
    },
  };
}
