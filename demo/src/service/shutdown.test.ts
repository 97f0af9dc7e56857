import { describe, expect, it, vi } from 'vitest';
import { get, post } from '../test-support/http';
import { startMain } from '../test-support/main-process';
import { adminHeaders, startTestService } from '../test-support/service';

describe('graceful shutdown', () => {
  it('drains in-flight requests, keeps /metrics up meanwhile, and turns new work away', async () => {
    const service = await startTestService();
    await post(`${service.url}/admin/faults`, { kind: 'latency_spike', latencyMs: 800 }, adminHeaders());
    const inFlight = post(`${service.url}/chat`, { prompt: 'A slow question' });
    const activeRequests = async () => /^http_server_active_requests (\d+)$/m.exec(await (await fetch(`${service.url}/metrics`)).text())?.[1];
    await vi.waitUntil(async () => (await activeRequests()) === '1', { timeout: 5000, interval: 20 });

    const closing = service.close();
    await vi.waitUntil(async () => (await get(`${service.url}/readyz`)).status === 503, { timeout: 5000, interval: 20 });
    const metrics = await fetch(`${service.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('http_server_active_requests 1');
    const refused = await post(`${service.url}/chat`, { prompt: 'Too late' });
    expect(refused).toMatchObject({ status: 503, body: { error: 'Service is shutting down; retry on another instance' } });

    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
  });
});

/** The launcher's contract: the built entry point, configured by the environment. */
describe('node dist/service/main.js', () => {
  it('prints one JSON "service listening" line, serves, and exits 0 on SIGTERM', async () => {
    const main = await startMain();
    expect(main.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await post(`${main.url}/chat`, { prompt: 'hello' })).status).toBe(200);
    expect((await get(`${main.url}/readyz`)).status).toBe(200);

    expect(await main.stop()).toBe(0);
    expect(main.lines.map((line) => line.message)).toEqual(expect.arrayContaining(['service listening', 'signal received', 'shutting down', 'service stopped']));
    expect(main.lines.filter((line) => line.message === 'service listening')).toHaveLength(1);
  });
});
