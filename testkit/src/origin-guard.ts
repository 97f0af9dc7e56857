/**
 * A loopback reverse proxy that lets no web page through: what Alertmanager
 * lacks. Alertmanager answers every origin's CORS preflight on `/api/v2/` with
 * `Access-Control-Allow-Origin: *` and has no flag to narrow it, so any page
 * open in the developer's browser could `POST /api/v2/silences` and silence
 * the watchdog. The guard listens where clients expect Alertmanager and
 * forwards only requests that
 * - are addressed to a loopback name (`Host`: no DNS rebinding), and
 * - carry no `Origin` but the guard's own (Prometheus, the stack and tools
 *   send none; Alertmanager's own UI, served through the guard, sends the guard's).
 * Upstream, Alertmanager listens on another loopback port under a random
 * route prefix, which a page cannot guess.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { isAllowedHost } from './loopback-host';
import { LOOPBACK } from './ports';

export interface OriginGuard {
  /** `http://127.0.0.1:<port>`: the origin clients use. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts the guard on `port`, forwarding to `upstream` (`http://127.0.0.1:<port>/<prefix>`). */
export async function startOriginGuard(port: number, upstream: string): Promise<OriginGuard> {
  const url = `http://${LOOPBACK}:${port}`;
  const target = new URL(upstream);
  const prefix = target.pathname.replace(/\/$/, '');
  const server: Server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (!isAllowedHost(req.headers.host) || (origin !== undefined && origin !== url)) {
      req.resume();
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Cross-origin and non-loopback requests are refused\n');
      return;
    }
    const forwarded = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: `${prefix}${req.url ?? '/'}`, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, withoutCors(upstreamRes.headers, prefix));
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end('Alertmanager is unreachable\n')));
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let stopped: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** The upstream's response headers without its CORS grants, and with its redirects made relative to the guard (the prefix stays secret). */
function withoutCors(headers: IncomingHttpHeaders, prefix: string): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('access-control-')) out[name] = value;
  }
  if (typeof out.location === 'string' && out.location.startsWith(`${prefix}/`)) out.location = out.location.slice(prefix.length);
  return out;
}
