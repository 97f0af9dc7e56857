import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlib } from 'node:zlib';
import { ChunkPool } from '../metrics/chunk-writer';
import { CONTENT_TYPE, negotiateFormat, type ExpositionFormat } from '../metrics/format';
import { boolean, type Shape } from '../options/schema';
import { authChallenge, authorizationCheck, METRICS_AUTH, type MetricsAuth } from './auth';

export interface MetricsHandlerOptions {
  /** Require these credentials on every scrape. */
  auth?: MetricsAuth;
  /** Gzip the response when the scraper accepts it (Prometheus does). @defaultValue true */
  compression?: boolean;
}

export const METRICS_HANDLER_OPTIONS: Shape<MetricsHandlerOptions> = { auth: METRICS_AUTH, compression: boolean };

/** Chunk size of a served scrape: large enough to amortise a socket write, small enough to stay cache-warm. */
const CHUNK_BYTES = 64 * 1024;

export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Where the exposition comes from: one process's registry, or the merged
 * snapshots of cluster workers. Buffer chunks taken from `pool` go back to it
 * once written.
 */
export type ExpositionSource = (format: ExpositionFormat, pool: ChunkPool) => AsyncGenerator<string | Buffer>;

/**
 * Serves the exposition: OpenMetrics when the Accept header asks for it (with
 * exemplars), the Prometheus text format otherwise. The body is streamed in
 * chunks as it is serialised, so a large scrape never holds the event loop.
 * Usable as a node:http listener and as an Express handler.
 */
export function createMetricsHandler(source: ExpositionSource, options: MetricsHandlerOptions = {}): MetricsHandler {
  const isAuthorized = authorizationCheck(options.auth);
  const compression = options.compression ?? true;
  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }).end('Method Not Allowed\n');
      return;
    }
    if (!isAuthorized(request.headers.authorization)) {
      response.writeHead(401, { 'WWW-Authenticate': authChallenge(options.auth!), 'Content-Type': 'text/plain; charset=utf-8' }).end('Unauthorized\n');
      return;
    }
    const format = negotiateFormat(request.headers.accept);
    const gzip = compression && acceptsGzip(request.headers['accept-encoding']);
    const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPE[format], 'Cache-Control': 'no-store' };
    if (gzip) headers['Content-Encoding'] = 'gzip';
    if (request.method === 'HEAD') {
      response.writeHead(200, headers).end();
      return;
    }
    const pool = new ChunkPool(CHUNK_BYTES);
    const chunks = source(format, pool);
    // The first chunk is serialised before anything is sent, so a failure there (most expositions
    // fit in one chunk) is a clean 500 rather than a cut connection.
    chunks.next().then(
      (first) => {
        response.writeHead(200, headers);
        let sink: Writable = response;
        if (gzip) {
          const compressor = createGzip({ level: zlib.Z_BEST_SPEED });
          pipeline(compressor, response).catch(() => undefined);
          sink = compressor;
        }
        // Failure mid-body, or the scraper went away: the response is destroyed, and the scraper
        // sees a cut connection (an incomplete scrape is never taken for a complete one).
        writeChunks(prepend(first, chunks), sink, pool).catch(() => {
          sink.destroy();
          response.destroy();
        });
      },
      () => {
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end('Internal Server Error: metrics serialisation failed\n');
      },
    );
  };
}

async function* prepend(first: IteratorResult<string | Buffer>, rest: AsyncGenerator<string | Buffer>): AsyncGenerator<string | Buffer> {
  if (!first.done) yield first.value;
  yield* rest;
}

/**
 * Writes each chunk and waits for the sink to drain before asking for the next,
 * so serialisation runs at the pace of the scraper (or of gzip) and never piles
 * up the body in memory. A chunk goes back to the pool once the sink is done with it.
 */
async function writeChunks(chunks: AsyncGenerator<string | Buffer>, sink: Writable, pool: ChunkPool): Promise<void> {
  const closed = new Promise<never>((_, reject) => sink.once('close', () => reject(new Error('the scrape was cut off'))));
  closed.catch(() => undefined);
  for await (const chunk of chunks) {
    const roomForMore = typeof chunk === 'string' ? sink.write(chunk) : sink.write(chunk, () => pool.give(chunk));
    if (!roomForMore) await Promise.race([new Promise((resolve) => sink.once('drain', resolve)), closed]);
  }
  sink.end();
}

/**
 * Whether an Accept-Encoding header allows gzip: listed (or `x-gzip`) with a
 * non-zero q, or not listed while `*` is. `gzip;q=0` refuses it (RFC 9110 §12.5.3).
 */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let wildcard = false;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    const accepted = q === undefined || Number(q.slice(2)) > 0;
    if (coding === 'gzip' || coding === 'x-gzip') return accepted;
    if (coding === '*') wildcard = accepted;
  }
  return wildcard;
}
