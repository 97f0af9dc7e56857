import { LABEL, METRICS } from '@modelwatch/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../test-support/service';
import { runTraffic } from './runner';

describe('traffic against the demo service', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('runs a 3-second baseline whose counts match the service’s own metrics', async () => {
    const summary = await runTraffic({ target: service.url, scenario: 'baseline', users: 20, thinkTimeMs: 50, durationMs: 3000, seed: 11 });
    expect(summary.stoppedBy).toBe('duration');
    // How many fit in 3 s is the host's business (a loaded one managed 24); that each is counted is the test's.
    expect(summary.requests).toBeGreaterThan(0);
    expect(Object.values(summary.byRoute).reduce((n, route) => n + route.requests, 0)).toBe(summary.requests);
    expect(summary.errors).toBe(0);
    expect(summary.byRoute['/chat']?.requests).toBeGreaterThan(0);
    for (const route of Object.keys(summary.byRoute)) expect(['/chat', '/embeddings', '/recommendations']).toContain(route);

    const scrape = await service.scrape();
    const count = `${METRICS.httpServerRequestDuration.name}_count`;
    for (const [route, stats] of Object.entries(summary.byRoute)) {
      for (const [status, requests] of Object.entries(stats.byStatus)) {
        expect(scrape.sum(count, { [LABEL.httpRoute]: route, [LABEL.httpResponseStatusCode]: status }), `${route} ${status}`).toBe(requests);
      }
    }
    expect(scrape.sum(count)).toBe(summary.requests);

    // What the client saw in X-Cache is what the service counted, hit for hit.
    const result = (cacheResult: string) => scrape.sum(METRICS.cacheRequests.name, { [LABEL.cacheResult]: cacheResult });
    expect(result('error')).toBe(0);
    expect(summary.cacheHitRatio).toBeCloseTo(result('hit') / (result('hit') + result('miss')), 10);
  });
});
