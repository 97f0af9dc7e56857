/**
 * The preview harness server: a stand-in for the parts of Grafana the app
 * uses. It serves the host page for the app's URLs and answers Grafana's
 * routes — `POST /api/ds/query`, the alerting routes, the plugin settings
 * route and the data source list — by forwarding to a real Prometheus and
 * Alertmanager.
 */
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { APP_PLUGIN_ID, DATASOURCE_UID, type AppSettings } from '@modelwatch/conventions';
import { HOST_REFUSED, isAllowedHost } from '@modelwatch/testkit';
import { DS_QUERY_PATH } from '../../src/data/dsQuery';
import { GRAFANA_RULES_PATH } from '../../src/data/alerts';
import { answerAlertmanagerAlerts, answerGrafanaRules } from './alertingTranslate';
import { DATASOURCES_PATH, harnessDatasources } from './datasources';
import { answerDsQuery, type Answer } from './dsQueryTranslate';

// CommonJS under tsx (the CLI) has __filename; ESM under Vitest has import.meta.url.
const HERE = typeof __filename === 'string' ? dirname(__filename) : dirname(fileURLToPath(import.meta.url));
export const PREVIEW_BUNDLE_DIR = resolve(HERE, '..', '..', 'dist-preview');
/** @grafana/ui's icons, which Grafana serves under /public/build/img/icons/ (the host sets `__grafana_public_path__`). */
const ICONS_DIR = join(dirname(createRequire(join(HERE, 'server.ts')).resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');
const ICONS_PATH = '/public/build/img/icons/';
const CONTENT_TYPES: Record<string, string> = { '.js': 'application/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

export interface PreviewServerOptions {
  prometheusUrl: string;
  alertmanagerUrl?: string;
  /** A Tempo to list as the exemplars' trace data source (`GET /api/datasources`); none when absent. */
  tempoUrl?: string;
  /** @defaultValue a free port */
  port?: number;
  /** @defaultValue 127.0.0.1. Requests are answered only when their `Host` names a loopback address or localhost (DNS rebinding). */
  host?: string;
  /** The app's jsonData; the config page can change it for the server's lifetime. */
  settings?: AppSettings;
  bundleDir?: string;
}

export interface PreviewServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Request bodies are a few queries or the settings: far below this. */
export const MAX_BODY_BYTES = 256 * 1024;
/** A page asks for about 20 queries at once; the cap keeps one request from fanning out into thousands of Prometheus queries. */
export const MAX_QUERIES_PER_REQUEST = 50;

/** A request the harness refuses, with the status and message it answers. */
class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const HOST_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Modelwatch Health — preview</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="root"></div><script src="/public/preview/preview.js"></script></body>
</html>`;

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const bundleDir = resolve(options.bundleDir ?? PREVIEW_BUNDLE_DIR);
  if (!existsSync(join(bundleDir, 'preview.js'))) throw new Error(`the preview bundle is not built: run \`npm run build:preview -w @modelwatch/plugin\` (${join(bundleDir, 'preview.js')} is missing)`);
  let settings: AppSettings = { prometheusUid: DATASOURCE_UID.prometheus, alertmanagerUid: DATASOURCE_UID.alertmanager, ...options.settings };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<Answer | 'sent'> => {
    if (!isAllowedHost(req.headers.host)) return { status: HOST_REFUSED.status, body: { message: HOST_REFUSED.message } };
    const url = new URL(req.url ?? '/', 'http://preview');
    const path = url.pathname;
    if (req.method === 'POST' && path === DS_QUERY_PATH) {
      const request = (await readJsonBody(req)) as Parameters<typeof answerDsQuery>[0];
      if (Array.isArray(request.queries) && request.queries.length > MAX_QUERIES_PER_REQUEST) {
        return { status: 400, body: { message: `At most ${MAX_QUERIES_PER_REQUEST} queries per request, got ${request.queries.length}` } };
      }
      return answerDsQuery(request, options.prometheusUrl, settings.prometheusUid ?? DATASOURCE_UID.prometheus);
    }
    if (req.method === 'GET' && path === GRAFANA_RULES_PATH) return answerGrafanaRules(options.prometheusUrl);
    const am = /^\/api\/alertmanager\/([^/]+)\/api\/v2\/alerts$/.exec(path);
    if (req.method === 'GET' && am) {
      return answerAlertmanagerAlerts(decodeURIComponent(am[1] ?? '') === settings.alertmanagerUid ? options.alertmanagerUrl : undefined, url.search);
    }
    if (path === `/api/plugins/${APP_PLUGIN_ID}/settings`) {
      if (req.method === 'POST') {
        settings = ((await readJsonBody(req)) as { jsonData?: AppSettings }).jsonData ?? settings;
        return { status: 200, body: { message: 'Plugin settings updated' } };
      }
      return { status: 200, body: { id: APP_PLUGIN_ID, type: 'app', name: 'Modelwatch Health', enabled: true, pinned: true, jsonData: settings, info: {} } };
    }
    if (req.method === 'GET' && path === DATASOURCES_PATH) return { status: 200, body: harnessDatasources(options) };
    const byUid = /^\/api\/datasources\/uid\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && byUid) {
      const found = harnessDatasources(options).find((ds) => ds.uid === decodeURIComponent(byUid[1] ?? ''));
      return found ? { status: 200, body: found } : { status: 404, body: { message: 'Data source not found' } };
    }
    if (path === '/api/health') return { status: 200, body: { database: 'ok', version: 'preview' } };
    for (const [prefix, dir] of [['/public/preview/', bundleDir], [ICONS_PATH, ICONS_DIR]] as const) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(dir, path.slice(prefix.length)));
      // Regular files of the folder only: the folder itself (`/public/preview/`, `/public/preview/x/..`) is not one.
      const isServed = file.startsWith(dir + sep) && (await stat(file).catch(() => undefined))?.isFile() === true;
      if (!isServed) return { status: 404, body: { message: 'Not found' } };
      sendFile(file, res);
      return 'sent';
    }
    if (path === '/' || path.startsWith(`/a/${APP_PLUGIN_ID}`) || path === `/plugins/${APP_PLUGIN_ID}`) {
      if (path === '/') {
        res.writeHead(302, { Location: `/a/${APP_PLUGIN_ID}/overview` }).end();
        return 'sent';
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(HOST_PAGE);
      return 'sent';
    }
    return { status: 404, body: { message: 'Not found' } };
  };

  const server = createServer((req, res) => {
    route(req, res).then(
      (answer) => {
        if (answer !== 'sent') sendJson(res, answer.status, answer.body);
      },
      (error: unknown) => {
        if (error instanceof RequestError) {
          // A refused body may not have been read: the connection cannot carry another request after it.
          if (!req.complete) res.setHeader('Connection', 'close');
          return sendJson(res, error.status, { message: error.message });
        }
        // The details stay in the harness' log: they may describe Prometheus, Alertmanager or this machine.
        console.error('preview server:', error);
        sendJson(res, 500, { message: 'Internal server error' });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function sendFile(file: string, res: ServerResponse): void {
  const stream = createReadStream(file);
  // A read error after the headers went out can only cut the answer short; before, it is a 404 like a missing file.
  stream.once('error', () => (res.headersSent ? res.destroy() : sendJson(res, 404, { message: 'Not found' })));
  stream.once('open', () => {
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    stream.pipe(res);
  });
}

/**
 * A JSON body, as Grafana's API takes them. Anything else is refused before it
 * is read: a cross-site form or `text/plain` POST (sent without a CORS
 * preflight) must not change the settings, and a body over
 * {@link MAX_BODY_BYTES} is not buffered (its connection is closed after the 413).
 */
function readJsonBody(req: IncomingMessage): Promise<object> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return Promise.reject(new RequestError(415, 'Content-Type must be application/json'));
  const tooLarge = () => new RequestError(413, `Request body over ${MAX_BODY_BYTES} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reject(new RequestError(400, 'Request body is not valid JSON'));
      }
      if (typeof body === 'object' && body !== null && !Array.isArray(body)) resolve(body);
      else reject(new RequestError(400, 'Request body must be a JSON object'));
    });
  });
}
