import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { get, post } from '../test-support/http';
import { adminHeaders, startTestService } from '../test-support/service';

describe('graceful shutdown', () => {
  it('drains in-flight requests, keeps /metrics up meanwhile, and turns new work away', async () => {
    const service = await startTestService();
    await post(`${service.url}/admin/faults`, { kind: 'latency_spike', latencyMs: 800 }, adminHeaders());
    const inFlight = post(`${service.url}/chat`, { prompt: 'A slow question' });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const closing = service.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await get(`${service.url}/readyz`)).status).toBe(503);
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
  const main = join(__dirname, '..', '..', 'dist', 'service', 'main.js');

  it('prints one JSON "service listening" line, serves, and exits 0 on SIGTERM', async () => {
    expect(existsSync(main), `${main} is missing: run \`npx tsc -b demo\` first`).toBe(true);
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: '0', DATA_DIR: ':memory:', FAKE_PROVIDER_TIME_SCALE: '0.01', LOG_LEVEL: 'info', ADMIN_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    const listening = new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.message === 'service listening') resolve(entry.url as string);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before listening`)));
    });
    const url = await listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await post(`${url}/chat`, { prompt: 'hello' })).status).toBe(200);
    expect((await get(`${url}/readyz`)).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.map((line) => line.message)).toEqual(expect.arrayContaining(['service listening', 'signal received', 'shutting down', 'service stopped']));
    expect(lines.filter((line) => line.message === 'service listening')).toHaveLength(1);
  });
});
