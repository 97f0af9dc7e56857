/**
 * The preview harness server under hostile requests, over real HTTP on
 * loopback. Upstream, a loopback stand-in plays Prometheus (answering every
 * query with an empty vector, counting them) and an Alertmanager whose errors
 * are plain text about its internals.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_PLUGIN_ID, DATASOURCE_UID } from '@modelwatch/exporter/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DS_QUERY_PATH } from '../../src/data/dsQuery';
import { alertmanagerAlertsPath } from '../../src/data/alerts';
import { MAX_BODY_BYTES, MAX_QUERIES_PER_REQUEST, startPreviewServer, type PreviewServer } from './server';

const BUNDLE = 'console.log("preview bundle");\n';
const UPSTREAM_SECRET = 'alertmanager internals: /var/lib/alertmanager/nflog';
const SETTINGS_PATH = `/api/plugins/${APP_PLUGIN_ID}/settings`;

interface Reply {
  status: number;
  body: string;
}

let preview: PreviewServer;
let upstream: Server;
let upstreamQueries = 0;
let bundleDir: string;
let port: number;

/** One request with full control of the path (no dot-segment clean-up) and the headers (Host included). */
function send(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    // The server may close the connection while a refused body is still being sent; the answer came first.
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const query = (refId: string) => ({ refId, expr: 'up', instant: true, datasource: { uid: DATASOURCE_UID.prometheus } });

beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'modelwatch-preview-'));
  writeFileSync(join(bundleDir, 'preview.js'), BUNDLE);
  upstream = createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/query')) {
      upstreamQueries++;
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }));
    }
    res.writeHead(500, { 'content-type': 'text/plain' }).end(UPSTREAM_SECRET);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  preview = await startPreviewServer({ prometheusUrl: upstreamUrl, alertmanagerUrl: upstreamUrl, bundleDir });
  port = Number(new URL(preview.url).port);
});

afterAll(async () => {
  await preview?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(bundleDir, { recursive: true, force: true });
});

describe('the preview server', () => {
  it('serves regular files of the bundle only: the bundle folder is a 404, and the server keeps answering', async () => {
    for (const path of ['/public/preview/', '/public/preview/x/..', '/public/preview/../dist-preview', '/public/preview/missing.js']) {
      expect((await send('GET', path)).status, path).toBe(404);
    }
    expect(await send('GET', '/public/preview/preview.js')).toEqual({ status: 200, body: BUNDLE });
    expect((await send('GET', '/api/health')).status).toBe(200);
  });

  it('answers only requests addressed to loopback (DNS rebinding)', async () => {
    const rebound = await send('GET', SETTINGS_PATH, { headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain(DATASOURCE_UID.prometheus);
    expect((await send('GET', '/api/health', { headers: { host: `localhost:${port}` } })).status).toBe(200);
    expect((await send('GET', '/api/health', { headers: { host: `[::1]:${port}` } })).status).toBe(200);
  });

  it('changes settings only from a JSON body: a cross-site text/plain or form POST is refused', async () => {
    const forged = JSON.stringify({ jsonData: { prometheusUid: 'attacker' } });
    expect((await send('POST', SETTINGS_PATH, { headers: { 'content-type': 'text/plain' }, body: forged })).status).toBe(415);
    expect((await send('POST', SETTINGS_PATH, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forged })).status).toBe(415);
    expect(JSON.parse((await send('GET', SETTINGS_PATH)).body)).toMatchObject({ jsonData: { prometheusUid: DATASOURCE_UID.prometheus } });
    expect((await send('POST', SETTINGS_PATH, { headers: { 'content-type': 'application/json' }, body: '{not json' })).status).toBe(400);
  });

  it('refuses a body over the size limit, declared or streamed, without buffering it', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, ' ');
    const declared = await send('POST', DS_QUERY_PATH, { headers: { 'content-type': 'application/json' }, body: big });
    expect(declared.status).toBe(413);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: DS_QUERY_PATH, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(big.subarray(0, MAX_BODY_BYTES));
      req.end(big.subarray(MAX_BODY_BYTES));
    });
    expect(streamed).toBe(413);
    expect((await send('GET', '/api/health')).status).toBe(200);
  });

  it(`caps the queries of one /api/ds/query at ${MAX_QUERIES_PER_REQUEST}, before any reaches Prometheus`, async () => {
    upstreamQueries = 0;
    const tooMany = Array.from({ length: MAX_QUERIES_PER_REQUEST + 1 }, (_, i) => query(`Q${i}`));
    const refused = await send('POST', DS_QUERY_PATH, json({ queries: tooMany, from: 'now-5m', to: 'now' }));
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toEqual({ message: `At most ${MAX_QUERIES_PER_REQUEST} queries per request, got ${MAX_QUERIES_PER_REQUEST + 1}` });
    expect(upstreamQueries).toBe(0);
    expect((await send('POST', DS_QUERY_PATH, json({ queries: tooMany.slice(0, MAX_QUERIES_PER_REQUEST), from: 'now-5m', to: 'now' }))).status).toBe(200);
    expect(upstreamQueries).toBe(MAX_QUERIES_PER_REQUEST);
  });

  it("does not echo an upstream's error text", async () => {
    const alerts = await send('GET', alertmanagerAlertsPath(DATASOURCE_UID.alertmanager));
    expect(alerts.status).toBe(502);
    expect(alerts.body).not.toContain('internals');
    expect(JSON.parse(alerts.body)).toEqual({ message: 'failed to read alerts from Alertmanager' });
  });
});
