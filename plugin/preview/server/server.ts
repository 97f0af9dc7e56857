/**
 * The preview harness server: a stand-in for the parts of Grafana the app
 * uses. It serves the host page for the app's URLs and answers Grafana's
 * routes — `POST /api/ds/query`, the alerting routes and the plugin settings
 * route — by forwarding to a real Prometheus and Alertmanager.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join, normalize, resolve } from 'node:path';
import { APP_PLUGIN_ID, DATASOURCE_UID, type AppSettings } from '@modelwatch/exporter/conventions';
import { DS_QUERY_PATH } from '../../src/data/dsQuery';
import { GRAFANA_RULES_PATH } from '../../src/data/alerts';
import { answerAlertmanagerAlerts, answerGrafanaRules } from './alertingTranslate';
import { answerDsQuery, type Answer } from './dsQueryTranslate';

// CommonJS under tsx (the CLI) has __filename; ESM under Vitest has import.meta.url.
const HERE = typeof __filename === 'string' ? dirname(__filename) : dirname(fileURLToPath(import.meta.url));
export const PREVIEW_BUNDLE_DIR = resolve(HERE, '..', '..', 'dist-preview');

export interface PreviewServerOptions {
  prometheusUrl: string;
  alertmanagerUrl?: string;
  /** @defaultValue a free port */
  port?: number;
  /** @defaultValue 127.0.0.1 */
  host?: string;
  /** The app's jsonData; the config page can change it for the server's lifetime. */
  settings?: AppSettings;
  bundleDir?: string;
}

export interface PreviewServer {
  readonly url: string;
  close(): Promise<void>;
}

const HOST_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Modelwatch Health — preview</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="root"></div><script src="/public/preview/preview.js"></script></body>
</html>`;

export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const bundleDir = options.bundleDir ?? PREVIEW_BUNDLE_DIR;
  if (!existsSync(join(bundleDir, 'preview.js'))) throw new Error(`the preview bundle is not built: run \`npm run build:preview -w @modelwatch/plugin\` (${join(bundleDir, 'preview.js')} is missing)`);
  let settings: AppSettings = { prometheusUid: DATASOURCE_UID.prometheus, alertmanagerUid: DATASOURCE_UID.alertmanager, ...options.settings };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<Answer | 'sent'> => {
    const url = new URL(req.url ?? '/', 'http://preview');
    const path = url.pathname;
    if (req.method === 'POST' && path === DS_QUERY_PATH) {
      return answerDsQuery(JSON.parse(await readBody(req)), options.prometheusUrl, settings.prometheusUid ?? DATASOURCE_UID.prometheus);
    }
    if (req.method === 'GET' && path === GRAFANA_RULES_PATH) return answerGrafanaRules(options.prometheusUrl);
    const am = /^\/api\/alertmanager\/([^/]+)\/api\/v2\/alerts$/.exec(path);
    if (req.method === 'GET' && am) {
      return answerAlertmanagerAlerts(decodeURIComponent(am[1] ?? '') === settings.alertmanagerUid ? options.alertmanagerUrl : undefined, url.search);
    }
    if (path === `/api/plugins/${APP_PLUGIN_ID}/settings`) {
      if (req.method === 'POST') {
        settings = (JSON.parse(await readBody(req)) as { jsonData?: AppSettings }).jsonData ?? settings;
        return { status: 200, body: { message: 'Plugin settings updated' } };
      }
      return { status: 200, body: { id: APP_PLUGIN_ID, type: 'app', name: 'Modelwatch Health', enabled: true, pinned: true, jsonData: settings, info: {} } };
    }
    if (path === '/api/health') return { status: 200, body: { database: 'ok', version: 'preview' } };
    if (path.startsWith('/public/preview/')) {
      const file = normalize(join(bundleDir, path.slice('/public/preview/'.length)));
      if (!file.startsWith(bundleDir) || !existsSync(file)) return { status: 404, body: { message: 'Not found' } };
      res.writeHead(200, { 'Content-Type': 'application/javascript; charset=utf-8' });
      createReadStream(file).pipe(res);
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
        if (answer === 'sent') return;
        res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer.body));
      },
      (error: unknown) => res.writeHead(500, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: String(error) })),
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

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8') || '{}'));
    req.on('error', reject);
  });
}
