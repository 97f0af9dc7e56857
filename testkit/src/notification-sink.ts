/**
 * A loopback stand-in for PagerDuty and Slack (and any webhook receiver), so
 * Alertmanager's real integrations can deliver somewhere we can see:
 * - `POST /pagerduty/v2/enqueue` — PagerDuty Events API v2; answers 202 like PagerDuty (400 when invalid);
 * - `POST /slack/<channel>` — a Slack incoming webhook per channel; answers 200 `ok` (400 `invalid_payload`);
 * - `POST /webhook/<name>` — Alertmanager's webhook_configs (version 4) or Grafana's webhook contact point (version 1); answers 200.
 * Every delivery is checked against the real service's rules (see payloads.ts)
 * and recorded with its receive time; `GET /deliveries` shows them to humans,
 * `waitFor` to tests. `fail()` makes it answer 500 or 429 to test retries.
 *
 * It runs unattended for days under `npm start` and docker-compose, so it keeps
 * only the newest deliveries (a ring, bounded in count and bytes), clears them
 * over HTTP only with its token, and answers only requests addressed to
 * loopback or to a name it was given (DNS rebinding, see loopback-host.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { HOST_REFUSED, isAllowedHost } from './loopback-host';
import { checkPagerDutyEvent, checkSlackMessage, checkWebhookMessage, type PagerDutyEvent, type SlackMessage, type WebhookMessage } from './payloads';
import { LOOPBACK, assertPortFree } from './ports';

export type DeliveryKind = 'pagerduty' | 'slack' | 'webhook' | 'unknown';

interface DeliveryBase {
  /** 1, 2, 3... in arrival order. */
  seq: number;
  /** ISO 8601. */
  receivedAt: string;
  /** Epoch milliseconds, for latency maths. */
  receivedAtMs: number;
  path: string;
  userAgent: string | undefined;
  /** The parsed JSON body (or the raw text when it was not JSON). */
  body: unknown;
  /** What the real service would object to; empty when valid. */
  errors: string[];
  valid: boolean;
  /** The HTTP status the sink answered. */
  status: number;
  /** True when the status came from `fail()`. */
  forcedFailure: boolean;
}

export interface PagerDutyDelivery extends DeliveryBase {
  kind: 'pagerduty';
  /** The event, when valid. */
  event?: PagerDutyEvent;
}

export interface SlackDelivery extends DeliveryBase {
  kind: 'slack';
  /** From the URL path, as a Slack webhook URL stands for one channel. */
  channel: string;
  /** The message, when valid. */
  message?: SlackMessage;
}

export interface WebhookDelivery extends DeliveryBase {
  kind: 'webhook';
  /** From the URL path (`/webhook/<name>`); empty for `/webhook`. */
  name: string;
  /** The message, when valid. */
  message?: WebhookMessage;
}

/** A POST to a path no integration uses: recorded (answered 404) so a wrong `url` shows up. */
export interface UnknownDelivery extends DeliveryBase {
  kind: 'unknown';
}

export type Delivery = PagerDutyDelivery | SlackDelivery | WebhookDelivery | UnknownDelivery;

export interface FailureMode {
  /** The status to answer, e.g. 500 (retried by every integration) or 429 (retried by PagerDuty). */
  status: number;
  /** Only deliveries of this kind fail. @defaultValue every kind */
  kind?: DeliveryKind;
  /** Fail this many deliveries, then recover. @defaultValue until `recover()` */
  times?: number;
}

export interface SinkOptions {
  /** Listen on this port (checked first). @defaultValue a free port */
  port?: number;
  /** Listen on this address. @defaultValue 127.0.0.1 */
  host?: string;
  /** Host names besides loopback ones that requests may be addressed to (docker-compose: the service name). @defaultValue none */
  allowedHosts?: readonly string[];
  /** Bearer token of `DELETE /deliveries`. @defaultValue a random one (`sink.token`) */
  token?: string;
  /** How many deliveries are kept, the oldest dropped first. @defaultValue 1000 */
  maxDeliveries?: number;
  /** How many bytes of bodies are kept, the oldest deliveries dropped first. @defaultValue 64 MiB */
  maxBytes?: number;
  /** Named in the "port in use" error, e.g. `SINK_PORT`. */
  portEnvVar?: string;
  /** Called for each delivery as it is recorded (`npm start` prints a line). */
  onDelivery?: (delivery: Delivery) => void;
}

export interface NotificationSink {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The address it listens on: 127.0.0.1 unless `host` said otherwise (docker-compose: 0.0.0.0). */
  readonly listenAddress: string;
  /** Bearer token of `DELETE /deliveries`. */
  readonly token: string;
  /** URLs to put in an Alertmanager config. */
  readonly endpoints: { pagerduty: string; slack(channel: string): string; webhook(name?: string): string };
  /** The deliveries kept (the newest `maxDeliveries`), in arrival order (a copy). */
  deliveries(): Delivery[];
  clear(): void;
  /** Answer `mode.status` to the next deliveries (they are still checked and recorded). */
  fail(mode: FailureMode): void;
  recover(): void;
  /** Subscribe to deliveries; returns the unsubscribe function. */
  onDelivery(listener: (delivery: Delivery) => void): () => void;
  /**
   * Resolves with the matching deliveries once at least `count` (default 1)
   * deliveries, past or future, satisfy `predicate`; rejects at the timeout
   * with a list of what did arrive.
   */
  waitFor(predicate: (delivery: Delivery) => boolean, timeoutMs: number, options?: { count?: number; description?: string }): Promise<Delivery[]>;
  stop(): Promise<void>;
}

const BODY_LIMIT = 1024 * 1024;
const DEFAULT_MAX_DELIVERIES = 1000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

/** Starts the sink, on 127.0.0.1 unless told otherwise. */
export async function startNotificationSink(options: SinkOptions = {}): Promise<NotificationSink> {
  if (options.port !== undefined) await assertPortFree(options.port, options.portEnvVar);
  const maxDeliveries = options.maxDeliveries ?? DEFAULT_MAX_DELIVERIES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (!Number.isInteger(maxDeliveries) || maxDeliveries < 1) throw new Error(`startNotificationSink: maxDeliveries must be a positive integer, got ${maxDeliveries}`);
  if (!Number.isInteger(maxBytes) || maxBytes < BODY_LIMIT) throw new Error(`startNotificationSink: maxBytes must be an integer of at least ${BODY_LIMIT} (one body), got ${maxBytes}`);
  const token = options.token ?? randomBytes(16).toString('hex');
  const tokenDigest = digest(`Bearer ${token}`);
  const received: Delivery[] = [];
  /** Body bytes of each kept delivery, in the same order. */
  const sizes: number[] = [];
  let keptBytes = 0;
  let count = 0;
  const listeners = new Set<(delivery: Delivery) => void>();
  if (options.onDelivery) listeners.add(options.onDelivery);
  let failure: FailureMode | undefined;

  const record = (delivery: Delivery, bytes: number) => {
    received.push(delivery);
    sizes.push(bytes);
    keptBytes += bytes;
    while (received.length > maxDeliveries || keptBytes > maxBytes) {
      received.shift();
      keptBytes -= sizes.shift() ?? 0;
    }
    for (const listener of [...listeners]) listener(delivery);
  };
  const clear = () => {
    received.length = 0;
    sizes.length = 0;
    keptBytes = 0;
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`sink error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const arrivedAt = Date.now();
    if (!isAllowedHost(request.headers.host, options.allowedHosts)) {
      request.resume();
      return sendText(response, HOST_REFUSED.status, HOST_REFUSED.message);
    }
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    if (request.method === 'GET' && (path === '/deliveries' || path === '/')) return sendJson(response, 200, path === '/' ? index(url, received.length) : received);
    if (request.method === 'DELETE' && path === '/deliveries') {
      const authorization = request.headers.authorization;
      if (authorization === undefined || !timingSafeEqual(digest(authorization), tokenDigest)) {
        response.setHeader('www-authenticate', 'Bearer realm="notification-sink"');
        return sendText(response, 401, 'DELETE /deliveries needs Authorization: Bearer <the sink token>');
      }
      clear();
      return sendJson(response, 200, { cleared: true });
    }
    if (request.method === 'GET' && path === '/-/healthy') return sendText(response, 200, 'ok');
    if (request.method !== 'POST') return sendText(response, 405, 'method not allowed');

    const text = await readBody(request);
    let body: unknown = text;
    let parseError: string | undefined;
    try {
      body = JSON.parse(text);
    } catch (error) {
      parseError = `body is not JSON: ${(error as Error).message}`;
    }
    const base = { seq: ++count, receivedAt: new Date(arrivedAt).toISOString(), receivedAtMs: arrivedAt, path, userAgent: request.headers['user-agent'], body };
    const delivery = classify(path, base, body, parseError);
    const forced = failure && (failure.kind === undefined || failure.kind === delivery.kind) ? failure : undefined;
    if (forced) {
      if (forced.times !== undefined && --forced.times <= 0) failure = undefined;
      delivery.status = forced.status;
      delivery.forcedFailure = true;
    }
    record(delivery, Buffer.byteLength(text));
    answer(response, delivery);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? LOOPBACK, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const listenAddress = typeof address === 'object' && address !== null ? address.address : (options.host ?? LOOPBACK);
  // Local clients reach it on loopback whatever address it listens on.
  const url = `http://${LOOPBACK}:${port}`;

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    listenAddress,
    token,
    endpoints: {
      pagerduty: `${url}/pagerduty/v2/enqueue`,
      slack: (channel) => `${url}/slack/${encodeURIComponent(channel)}`,
      webhook: (name) => `${url}/webhook${name ? `/${encodeURIComponent(name)}` : ''}`,
    },
    deliveries: () => [...received],
    clear,
    fail(mode) {
      failure = { ...mode };
    },
    recover() {
      failure = undefined;
    },
    onDelivery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    waitFor(predicate, timeoutMs, waitOptions = {}) {
      const count = waitOptions.count ?? 1;
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = received.filter(predicate);
          if (matching.length < count) return;
          finish();
          resolve(matching);
        };
        const timer = setTimeout(() => {
          finish();
          const got = received.filter(predicate).length;
          const seen = received.map((d) => `  ${formatDelivery(d)}`).join('\n') || '  (nothing)';
          reject(new Error(`sink.waitFor${waitOptions.description ? ` (${waitOptions.description})` : ''}: ${got} of ${count} matching deliveries after ${timeoutMs} ms; received:\n${seen}`));
        }, timeoutMs);
        const listener = () => check();
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        listeners.add(listener);
        check();
      });
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

type Base = Pick<DeliveryBase, 'seq' | 'receivedAt' | 'receivedAtMs' | 'path' | 'userAgent' | 'body'>;

function classify(path: string, base: Base, body: unknown, parseError: string | undefined): Delivery {
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const result = (errors: string[]) => ({ errors: parseError ? [parseError] : errors, valid: !parseError && errors.length === 0, forcedFailure: false });
  if (path === '/pagerduty/v2/enqueue') {
    const checked = result(checkPagerDutyEvent(body));
    return { ...base, kind: 'pagerduty', ...checked, status: checked.valid ? 202 : 400, ...(checked.valid ? { event: body as PagerDutyEvent } : {}) };
  }
  if (segments[0] === 'slack' && segments.length === 2) {
    const checked = result(checkSlackMessage(body));
    return { ...base, kind: 'slack', channel: segments[1] ?? '', ...checked, status: checked.valid ? 200 : 400, ...(checked.valid ? { message: body as SlackMessage } : {}) };
  }
  if (segments[0] === 'webhook' && segments.length <= 2) {
    const checked = result(checkWebhookMessage(body));
    return { ...base, kind: 'webhook', name: segments[1] ?? '', ...checked, status: checked.valid ? 200 : 400, ...(checked.valid ? { message: body as WebhookMessage } : {}) };
  }
  return { ...base, kind: 'unknown', errors: [`no integration listens on POST ${path}`], valid: false, forcedFailure: false, status: 404 };
}

/** Answers as the real service does. */
function answer(response: ServerResponse, delivery: Delivery): void {
  const { status } = delivery;
  if (delivery.kind === 'pagerduty') {
    if (status === 202) return sendJson(response, 202, { status: 'success', message: 'Event processed', dedup_key: delivery.event?.dedup_key });
    if (status === 400) return sendJson(response, 400, { status: 'invalid event', message: 'Event object is invalid', errors: delivery.errors });
    if (status === 429) return sendJson(response, 429, { status: 'throttle event', message: 'Requests for this service are arriving too quickly.  Please retry later.' });
    return sendJson(response, status, { status: 'error', message: `sink told to fail with ${status}` });
  }
  if (delivery.kind === 'slack') return sendText(response, status, status === 200 ? 'ok' : status === 400 ? 'invalid_payload' : `sink told to fail with ${status}`);
  sendText(response, status, status < 300 ? '' : delivery.errors.join('\n') || `sink told to fail with ${status}`);
}

/** One compact line per delivery, for `npm start` and error messages. */
export function formatDelivery(delivery: Delivery): string {
  const time = delivery.receivedAt.slice(11, 19);
  const verdict = delivery.valid ? '' : `  INVALID: ${delivery.errors.join('; ')}`;
  const status = `→ ${delivery.status}${delivery.forcedFailure ? ' (forced)' : ''}`;
  switch (delivery.kind) {
    case 'pagerduty': {
      const event = delivery.event;
      return `${time} pagerduty ${event ? `${event.event_action} ${event.payload?.severity ?? ''} ${event.payload?.summary ?? ''}` : ''} ${status}${verdict}`;
    }
    case 'slack':
      return `${time} slack #${delivery.channel} ${delivery.message?.attachments[0]?.title ?? ''} ${status}${verdict}`;
    case 'webhook': {
      const message = delivery.message;
      return `${time} webhook ${delivery.name || '-'} ${message ? `${message.status} ${message.alerts.map((a) => a.labels.alertname ?? '?').join(',')}` : ''} ${status}${verdict}`;
    }
    default:
      return `${time} POST ${delivery.path} ${status}${verdict}`;
  }
}

function index(url: string, count: number) {
  return {
    deliveries: count,
    list: `${url}/deliveries`,
    endpoints: { pagerduty: `${url}/pagerduty/v2/enqueue`, slack: `${url}/slack/<channel>`, webhook: `${url}/webhook/<name>` },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) {
        reject(new Error(`body over ${BODY_LIMIT} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}

function sendText(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(body);
}

