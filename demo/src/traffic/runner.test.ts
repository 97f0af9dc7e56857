import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressLine, summaryTable } from './report';
import { runTraffic } from './runner';

/** A stand-in service: answers each route instantly, `/embeddings` with 500, and says which answers came from cache. */
let server: Server;
let target: string;
let received = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    received++;
    req.resume();
    req.on('end', () => {
      const status = req.url === '/embeddings' ? 500 : 200;
      res.writeHead(status, { 'content-type': 'application/json', 'x-cache': received % 2 ? 'hit' : 'miss' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  target = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe('runTraffic', () => {
  it('refuses a non-loopback target before sending anything', async () => {
    const before = received;
    await expect(runTraffic({ target: 'http://192.0.2.10:8080', durationMs: 1000 })).rejects.toThrow(/Refusing non-loopback target 192\.0\.2\.10:8080/);
    await expect(runTraffic({ target: 'http://example.com', durationMs: 1000 })).rejects.toThrow(/Refusing non-loopback target/);
    expect(received).toBe(before);
  });

  it('stops at maxRequests, counting every request once by route and status', async () => {
    const summary = await runTraffic({ target, users: 5, thinkTimeMs: 1, durationMs: 30_000, maxRequests: 200, seed: 1 });
    expect(summary.stoppedBy).toBe('max-requests');
    expect(summary.requests).toBe(200);
    const routes = Object.values(summary.byRoute);
    expect(routes.reduce((sum, route) => sum + route.requests, 0)).toBe(200);
    expect(summary.errors).toBe(summary.byRoute['/embeddings']?.requests ?? 0);
    expect(summary.byStatus['500']).toBe(summary.errors);
    expect(summary.byStatus['200']).toBe(200 - summary.errors);
    expect(summary.cacheHitRatio).toBeGreaterThan(0.3);
  });

  it('stops at its duration', async () => {
    const summary = await runTraffic({ target, users: 3, thinkTimeMs: 20, durationMs: 600 });
    expect(summary.stoppedBy).toBe('duration');
    expect(summary.requests).toBeGreaterThan(10);
  });

  it('stops when its signal aborts and still returns the summary', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const summary = await runTraffic({ target, users: 3, thinkTimeMs: 10, durationMs: 60_000, signal: controller.signal });
    expect(summary.stoppedBy).toBe('signal');
    expect(summary.durationMs).toBeLessThan(60_000); // ended by the signal, long before its duration
  });

  it('sends at a fixed rate in the open model', async () => {
    const summary = await runTraffic({ target, rps: 100, users: 20, durationMs: 1000, seed: 3 });
    expect(summary.model).toBe('open');
    expect(summary.requests).toBeGreaterThanOrEqual(80);
    expect(summary.requests).toBeLessThanOrEqual(110);
  });

  it('reports progress about once a second', async () => {
    const ticks: number[] = [];
    await runTraffic({ target, users: 2, thinkTimeMs: 10, durationMs: 2300, onProgress: (progress) => ticks.push(progress.requests) });
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.length).toBeLessThanOrEqual(3);
    expect(ticks[1]!).toBeGreaterThan(ticks[0]!);
  });

  it.each([
    [{ users: 0 }, 'users must be between 1 and 5000, got 0'],
    [{ users: 10_000 }, 'users must be between 1 and 5000, got 10000'],
    [{ durationMs: 3 * 3_600_000 }, 'duration (ms) must be between 1 and 7200000, got 10800000'],
    [{ rps: 1e6 }, 'rps must be between 0.1 and 5000, got 1000000'],
  ])('enforces the hard limits: %j', async (options, message) => {
    await expect(runTraffic({ target, ...options })).rejects.toThrow(message);
  });

  it('formats the live progress line', () => {
    expect(progressLine({ elapsedMs: 61_000, durationMs: 300_000, activeUsers: 50, inFlight: 12, rps: 41, p95Ms: 812.4, requests: 2500, errors: 25 })).toBe(
      '1m1s/5m · users 50 · in-flight 12 · 41 rps · p95 812ms · requests 2500 · errors 25 (1.0%)',
    );
    expect(progressLine({ elapsedMs: 302_000, durationMs: 300_000, activeUsers: 50, inFlight: 3, rps: 2, p95Ms: 0, requests: 2600, errors: 0 })).toMatch(/^5m\/5m draining · /);
  });

  it('prints a summary table with a row per route and a total', async () => {
    const summary = await runTraffic({ target, users: 2, thinkTimeMs: 1, durationMs: 5000, maxRequests: 40, seed: 5 });
    const table = summaryTable(summary);
    expect(table).toMatch(/^baseline \(closed model, 2 users\) against http:\/\/127\.0\.0\.1:\d+ for \S+, stopped by max-requests, seed 5$/m);
    expect(table).toMatch(/^route\s+requests\s+rps\s+p50\s+p95\s+p99\s+max\s+errors$/m);
    expect(table).toMatch(/^total\s+40\s/m);
    expect(table).toMatch(/^status: 200 × \d+/m);
  });
});
