/**
 * The preview harness server under hostile requests, over real HTTP on
 * loopback. Upstream, a loopback stand-in plays Prometheus (answering every
 * query with an empty vector, counting them) and an Alertmanager whose errors
 * are plain text about its internals. The data source list is checked against
 * the committed provisioning, and exemplars against a real Prometheus (with
 * exemplar storage) scraping an OpenMetrics target.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_PLUGIN_ID, DATASOURCE_UID } from '@modelwatch/conventions';
import { REPO_ROOT } from '@modelwatch/stack';
import { startPrometheus, waitFor } from '@modelwatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DS_QUERY_PATH } from '../../src/data/dsQuery';
import { alertmanagerAlertsPath } from '../../src/data/alerts';
import { DATASOURCES_PATH, type DataSourceListItem } from './datasources';
import { sampleByStandardDeviation } from './exemplars';
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
let upstreamUrl: string;

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
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
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

  it("serves @grafana/ui's icons where Grafana does, and nothing around them", async () => {
    const icon = await send('GET', '/public/build/img/icons/unicons/link.svg');
    expect(icon.status).toBe(200);
    expect(icon.body).toContain('<svg');
    for (const path of ['/public/build/img/icons/', '/public/build/img/icons/unicons', '/public/build/img/icons/../../package.json', '/public/build/img/icons/unicons/missing.svg']) {
      expect((await send('GET', path)).status, path).toBe(404);
    }
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

describe('the data source list (GET /api/datasources, as Grafana lists them)', () => {
  it('lists the harness Prometheus (default) and Alertmanager under the provisioned uids, names and types, sorted by name', async () => {
    const answer = await send('GET', DATASOURCES_PATH);
    expect(answer.status).toBe(200);
    const list = JSON.parse(answer.body) as DataSourceListItem[];
    expect(list.map((ds) => [ds.uid, ds.type, ds.isDefault])).toEqual([
      [DATASOURCE_UID.alertmanager, 'alertmanager', false],
      [DATASOURCE_UID.prometheus, 'prometheus', true],
    ]);
    expect(list[1]).toMatchObject({ url: upstreamUrl, access: 'proxy', readOnly: true, typeName: 'Prometheus', jsonData: { httpMethod: 'POST' } });
    // The same data sources Grafana is provisioned with (provisioning/datasources/modelwatch.yaml).
    const provisioned = readFileSync(join(REPO_ROOT, 'provisioning', 'datasources', 'modelwatch.yaml'), 'utf8');
    for (const ds of list) expect(provisioned).toContain(`- name: ${ds.name}\n    uid: ${ds.uid}\n    type: ${ds.type}\n`);
  });

  it('answers one data source by uid, 404 for another, and refuses a rebound Host', async () => {
    expect(JSON.parse((await send('GET', `${DATASOURCES_PATH}/uid/${DATASOURCE_UID.prometheus}`)).body)).toMatchObject({ uid: DATASOURCE_UID.prometheus, type: 'prometheus' });
    const missing = await send('GET', `${DATASOURCES_PATH}/uid/nope`);
    expect([missing.status, JSON.parse(missing.body)]).toEqual([404, { message: 'Data source not found' }]);
    const rebound = await send('GET', DATASOURCES_PATH, { headers: { host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain(upstreamUrl);
  });

  it('lists Tempo only when the harness has one', async () => {
    const withTempo = await startPreviewServer({ prometheusUrl: upstreamUrl, alertmanagerUrl: upstreamUrl, tempoUrl: 'http://127.0.0.1:3200', bundleDir });
    try {
      const list = (await (await fetch(`${withTempo.url}${DATASOURCES_PATH}`)).json()) as DataSourceListItem[];
      expect(list.map((ds) => ds.uid)).toEqual([DATASOURCE_UID.alertmanager, DATASOURCE_UID.prometheus, DATASOURCE_UID.tempo]);
    } finally {
      await withTempo.close();
    }
  });
});

describe('exemplars in /api/ds/query (a query with exemplar: true)', () => {
  it('a failed exemplar query is left out: the range result stands alone, as in Grafana', async () => {
    const answer = await send('POST', DS_QUERY_PATH, json({ queries: [{ ...query('A'), instant: false, range: true, exemplar: true }], from: 'now-5m', to: 'now' }));
    expect(answer.status).toBe(200);
    const frames = JSON.parse(answer.body).results.A.frames as Array<{ schema: { name?: string } }>;
    expect(frames.map((f) => f.schema.name)).not.toContain('exemplar');
  });

  it("samples like Grafana's StandardDeviationSampler: per step, the maximum and values 2σ below it, ordered by time", () => {
    const s = (time: number, value: number) => ({ time, value, labels: {} });
    // σ of all six values ≈ 4.1: in the first second 0.5 is more than 2σ below 10 and kept, 9 is not.
    const sampled = sampleByStandardDeviation([s(1_500, 9), s(1_100, 10), s(1_200, 0.5), s(2_100, 1), s(2_300, 1.2), s(3_000, 2)], 1_000);
    expect(sampled.map((x) => [x.time, x.value])).toEqual([
      [1_100, 10],
      [1_200, 0.5],
      [2_300, 1.2],
      [3_000, 2],
    ]);
  });

  it("answers Grafana's exemplar frame from a real Prometheus' /api/v1/query_exemplars", async () => {
    // An OpenMetrics target whose histogram buckets carry exemplars, at fixed times seconds apart.
    const t0 = Math.floor(Date.now() / 1000) - 5;
    const target = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0; charset=utf-8' });
      res.end(
        [
          '# TYPE demo_latency_seconds histogram',
          `demo_latency_seconds_bucket{route="/chat",le="0.5"} 3 # {trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7"} 0.42 ${t0 - 2}`,
          `demo_latency_seconds_bucket{route="/chat",le="+Inf"} 4 # {trace_id="a3ce929d0e0e47364bf92f3577b34da6"} 2.5 ${t0}`,
          'demo_latency_seconds_sum{route="/chat"} 3.9',
          'demo_latency_seconds_count{route="/chat"} 4',
          '# EOF',
          '',
        ].join('\n'),
      );
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const prometheus = await startPrometheus({ targets: [`127.0.0.1:${(target.address() as AddressInfo).port}`], jobName: 'exemplars' });
    const real = await startPreviewServer({ prometheusUrl: prometheus.url, bundleDir });
    try {
      const now = Math.ceil(Date.now() / 1000) + 1;
      await waitFor(async () => (await prometheus.queryExemplars('demo_latency_seconds_bucket', t0 - 60, now)).length > 0, 20_000, { description: 'exemplars scraped' });
      const request = {
        queries: [{ refId: 'A', expr: 'demo_latency_seconds_bucket', range: true, instant: false, exemplar: true, intervalMs: 1000, maxDataPoints: 100, datasource: { type: 'prometheus', uid: DATASOURCE_UID.prometheus } }],
        from: String((t0 - 60) * 1000),
        to: String((now + 1) * 1000),
      };
      const answer = await fetch(`${real.url}${DS_QUERY_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      expect(answer.status).toBe(200);
      const { frames } = (await answer.json()).results.A as { frames: Array<{ schema: { name?: string; refId?: string; meta?: Record<string, unknown>; fields: Array<{ name: string; type: string }> }; data: { values: unknown[][] } }> };
      const exemplar = frames[frames.length - 1]!;
      expect(frames.slice(0, -1).every((f) => f.schema.name !== 'exemplar')).toBe(true);
      expect(exemplar.schema).toMatchObject({ name: 'exemplar', refId: 'A', meta: { custom: { resultType: 'exemplar' }, executedQueryString: 'Expr: demo_latency_seconds_bucket\nStep: 1s' } });
      expect(exemplar.schema.fields.map((f) => [f.name, f.type])).toEqual([
        ['Time', 'time'],
        ['Value', 'number'],
        ['__name__', 'string'],
        ['instance', 'string'],
        ['job', 'string'],
        ['le', 'string'],
        ['route', 'string'],
        ['span_id', 'string'],
        ['trace_id', 'string'],
      ]);
      const [times, values, , , , le, , spanIds, traceIds] = exemplar.data.values;
      expect(times).toEqual([(t0 - 2) * 1000, t0 * 1000]);
      expect(values).toEqual([0.42, 2.5]);
      expect(le).toEqual(['0.5', '+Inf']);
      // A label an exemplar lacks is empty (it is not one of its series' labels either).
      expect(spanIds).toEqual(['00f067aa0ba902b7', '']);
      expect(traceIds).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', 'a3ce929d0e0e47364bf92f3577b34da6']);
    } finally {
      await real.close();
      await prometheus.stop();
      await new Promise((resolve) => target.close(resolve));
    }
  });
});
