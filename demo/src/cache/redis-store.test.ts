import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServer } from '../test-support/redis';
import { redisStore } from './redis-store';

/** Real `redis-server` (Debian); fails with the install command when it is missing. */
describe('redisStore', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('stores values with a TTL under its prefix', async () => {
    const store = redisStore({ url: redis.url });
    await waitUntil(async () => (await store.set('k', '"v"', 1).then(() => true, () => false)));
    expect(await store.get('k')).toBe('"v"');
    expect(await store.get('missing')).toBeUndefined();
    await delay(1100);
    expect(await store.get('k')).toBeUndefined();
    await store.close();
  });

  it('fails fast while Redis is down and recovers when it is back', async () => {
    const statuses: string[] = [];
    const store = redisStore({ url: redis.url, onStatus: (status) => statuses.push(status) });
    await waitUntil(async () => (await store.set('k', '1', 60).then(() => true, () => false)));
    await redis.kill();
    // Rejected while Redis is still down: the call does not queue until it comes back.
    await expect(store.get('k')).rejects.toThrow();
    await redis.restart();
    await waitUntil(async () => (await store.get('k').then(() => true, () => false)));
    expect(statuses).toContain('error');
    expect(statuses.at(-1)).toBe('ready');
    await store.close();
  });

  it('starts without Redis and never crashes while it is missing', async () => {
    const store = redisStore({ url: 'redis://127.0.0.1:1' });
    await expect(store.get('k')).rejects.toThrow('Redis is not connected');
    await delay(300);
    await store.close();
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(50);
  }
}
