import { LABEL, METRICS } from '@modelwatch/conventions';
import { waitFor } from '@modelwatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post } from '../test-support/http';
import { startPostgres, type PostgresCluster } from '../test-support/postgres';
import { startRedis, type RedisServer } from '../test-support/redis';
import { startTestService } from '../test-support/service';

const cacheRequests = METRICS.cacheRequests.name;
const answers = (result: string) => ({ [LABEL.cacheName]: 'answers', [LABEL.cacheResult]: result });

/** Real `redis-server` (Debian); this fails with the install command when it is missing. */
describe('the service on Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('caches answers in Redis, keeps answering when Redis dies mid-run, and uses it again once back', async () => {
    const service = await startTestService({ redisUrl: redis.url });
    try {
      await waitFor(async () => (await get(`${service.url}/readyz`)).body.cache === 'redis', 10_000);
      const ask = () => post<{ cached: boolean }>(`${service.url}/chat`, { prompt: 'Can I cancel a pre-order?' });
      await waitFor(async () => (await ask()).body.cached, 10_000);

      await redis.kill();
      const errorsBefore = (await service.scrape()).sum(cacheRequests, answers('error'));
      for (let i = 0; i < 3; i++) {
        const response = await ask();
        expect(response.status).toBe(200);
        expect(response.body.cached).toBe(false);
      }
      expect((await service.scrape()).sum(cacheRequests, answers('error'))).toBeGreaterThanOrEqual(errorsBefore + 3);
      expect(service.logs.some((line) => line.message === 'redis unavailable; answering without cache')).toBe(true);

      await redis.restart();
      // The restarted Redis is empty: the next answer is stored again, then hit.
      await waitFor(async () => (await ask()).body.cached, 10_000);
    } finally {
      await service.close();
    }
  });
});

/** A throwaway PostgreSQL cluster (Debian `postgresql`); fails with the install command when it is missing. */
describe('the service on PostgreSQL', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('migrates, records conversations and recommends from them', async () => {
    const service = await startTestService({ databaseUrl: cluster.url });
    try {
      expect((await get(`${service.url}/readyz`)).body).toMatchObject({ db: 'postgresql' });
      await post(`${service.url}/chat`, { prompt: 'My tent zipper broke, is that under warranty?', userId: 'user-050' });
      const recommendations = await get<{ topics: string[] }>(`${service.url}/recommendations?userId=user-050`);
      expect(recommendations.body.topics).toEqual(['warranty']);
      const db = `${METRICS.dbOperationDuration.name}_count`;
      const scrape = await service.scrape();
      expect(scrape.sum(db, { [LABEL.dbSystemName]: 'postgresql', [LABEL.dbOperationName]: 'INSERT' })).toBe(1);
      expect(scrape.sum(db, { [LABEL.dbSystemName]: 'postgresql', [LABEL.dbOperationName]: 'SELECT' })).toBeGreaterThanOrEqual(3);
    } finally {
      await service.close();
    }
    // A second start on the same database finds the schema in place.
    const again = await startTestService({ databaseUrl: cluster.url });
    await again.close();
  });
});
