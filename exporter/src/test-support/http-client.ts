import { createServer, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** A response read whole, body as raw bytes (never decompressed, unlike fetch). */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A request left open until the server answers or the test aborts it. */
export interface PendingRequest {
  /** Resolves with the response; rejects if the request was aborted. */
  response: Promise<RawResponse>;
  /** Destroys the socket; resolves once the client side is closed. */
  abort(): Promise<void>;
}

/**
 * Starts one request over node:http with nothing added: no Accept-Encoding,
 * any method (PURGE included), a fresh connection (no keep-alive reuse).
 */
export function startRequest(url: string, options: RequestOptions = {}): PendingRequest {
  let req!: ClientRequest;
  const response = new Promise<RawResponse>((resolve, reject) => {
    req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => readResponse(res).then(resolve, reject));
    req.on('error', reject);
    req.end(options.body);
  });
  const closed = new Promise<void>((resolve) => req.once('close', () => resolve()));
  return {
    response,
    abort() {
      // The aborted request rejects with ECONNRESET / "socket hang up": that is the point.
      response.catch(() => undefined);
      req.destroy();
      return closed;
    },
  };
}

/** One request, read whole. */
export function send(url: string, options: RequestOptions = {}): Promise<RawResponse> {
  return startRequest(url, options).response;
}

/** Starts a request and destroys its socket after `afterMs`; fails if the server answered first. */
export async function sendAndAbort(url: string, afterMs: number): Promise<void> {
  const pending = startRequest(url);
  let answered = false;
  pending.response.then(
    () => (answered = true),
    () => undefined,
  );
  await delay(afterMs);
  if (answered) throw new Error(`${url} answered before the abort at ${afterMs} ms`);
  await pending.abort();
}

function readResponse(res: IncomingMessage): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('error', reject);
    res.on('end', () => {
      const body = Buffer.concat(chunks);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
    });
  });
}

/** Listens on 127.0.0.1 on a free port; returns the base URL (`http://127.0.0.1:PORT`). */
export async function listenLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server, dropping open connections so the close never hangs. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) return resolve();
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * For one test file or describe block: `serve(listener)` listens on a loopback port and
 * returns the base URL; every server is closed after the test that started it.
 */
export function loopbackServers(): (listener: RequestListener) => Promise<string> {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });
  return (listener) => {
    const server = createServer(listener);
    servers.push(server);
    return listenLoopback(server);
  };
}

/** A promise with its resolver, for a handler to tell the test it got somewhere. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
