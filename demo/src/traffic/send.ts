import http from 'node:http';
import https from 'node:https';
import { TENANT_HEADER } from '../shared/tenants';
import type { PlannedRequest } from './mix';

/** What one request got: its status (or why it got none) and whether the service answered from its cache. */
export interface SendResult {
  status: string;
  latencyMs: number;
  cache: string | undefined;
}

export interface Sender {
  send(request: PlannedRequest, signal: AbortSignal): Promise<SendResult>;
  close(): void;
}

/**
 * Sends requests over keep-alive connections (one pool per run, as many sockets
 * as users) and reads each body to its end, streams included, so latency is
 * what a user waits for the whole answer.
 */
export function createSender(target: URL, maxSockets: number, timeoutMs: number): Sender {
  const isHttps = target.protocol === 'https:';
  const agent = new (isHttps ? https : http).Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const request = isHttps ? https.request : http.request;

  return {
    send(planned, signal) {
      const started = performance.now();
      const body = planned.body === undefined ? undefined : JSON.stringify(planned.body);
      return new Promise<SendResult>((resolve) => {
        let settled = false;
        const finish = (status: string, cache?: string) => {
          if (settled) return;
          settled = true;
          resolve({ status, latencyMs: performance.now() - started, cache });
        };
        const req = request(new URL(planned.path, target), {
          method: planned.method,
          agent,
          signal,
          timeout: timeoutMs,
          headers: {
            [TENANT_HEADER]: planned.tenant,
            ...(body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'application/json, text/event-stream' }),
          },
        });
        req.on('response', (res) => {
          const cache = typeof res.headers['x-cache'] === 'string' ? res.headers['x-cache'] : undefined;
          res.on('data', () => undefined);
          res.on('end', () => finish(String(res.statusCode ?? 0), cache));
          res.on('error', () => finish(signal.aborted ? 'aborted' : 'network'));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', (error) => finish(signal.aborted ? 'aborted' : error.message === 'timeout' ? 'timeout' : 'network'));
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}
