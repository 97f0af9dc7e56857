import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AdminRoutes } from './admin';
import { anthropicDialect } from './anthropic/dialect';
import { handleMessages } from './anthropic/messages';
import { readJsonBody } from './body';
import type { ProviderDialect } from './dialect';
import { Exchange } from './exchange';
import { FaultRegistry, type FaultController } from './faults';
import { geminiDialect } from './gemini/dialect';
import { geminiRoute } from './gemini/routes';
import type { JsonObject } from './json';
import { ModelCatalog, type ModelProfile } from './models';
import { handleChatCompletions } from './openai/chat-completions';
import { openaiDialect } from './openai/dialect';
import { handleEmbeddings } from './openai/embeddings';
import { handleResponses } from './openai/responses';
import { parseOverrides } from './overrides';
import { PromptCache } from './prompt-cache';
import { Random } from './random';
import { RateLimiter, type RateLimitSetting } from './rate-limits';
import { RequestLog, type RecordedRequest } from './request-log';
import type { ServerState } from './state';

/** Options of {@link startFakeProviders}. */
export interface FakeProvidersOptions {
  /**
   * Interface to listen on.
   * @defaultValue `'127.0.0.1'`
   */
  host?: string;
  /**
   * Port to listen on; 0 picks a free one (read it back from `url`).
   * @defaultValue `0`
   */
  port?: number;
  /**
   * Seed of every random choice: answers (with the prompt), latency jitter, fault draws, ids.
   * @defaultValue `1`
   */
  seed?: number;
  /**
   * Model profiles added to the defaults ({@link DEFAULT_MODEL_PROFILES}); one with the
   * provider and name of a default replaces it. Unknown models still answer, echoing their name.
   * @defaultValue `[]`
   */
  models?: ModelProfile[];
  /**
   * Multiplies every modelled latency (time to first token, per-token time). 1 is
   * realistic; tests use 0 (instant) or 0.01. Faults' `extraLatencyMs` is not scaled.
   * @defaultValue `1`
   */
  timeScale?: number;
  /**
   * How long a `timeout` fault holds a request before closing the connection, in milliseconds.
   * @defaultValue `30000`
   */
  maxHangMs?: number;
  /**
   * How many recent requests `requests` keeps.
   * @defaultValue `1000`
   */
  requestLogSize?: number;
  /**
   * Bearer token of the HTTP control routes (`/_fake/faults`, `/_fake/requests`), for
   * processes that share the fake. Without one those routes are not served: the
   * process that started the fake uses `faults` and `requests` directly.
   * @defaultValue `undefined` (no control over HTTP)
   */
  controlToken?: string;
  /**
   * Rate limits per minute replacing the defaults ({@link DEFAULT_RATE_LIMITS}) of a model,
   * or of a provider's models without limits of their own (`model` left out).
   * @defaultValue `[]`
   */
  rateLimits?: RateLimitSetting[];
  /**
   * The clock of the rate-limit budgets and of the reset times the headers state, in epoch
   * milliseconds. Tests pin it to assert exact budgets (a pinned clock never refills them).
   * @defaultValue `Date.now`
   */
  now?: () => number;
}

/** A running fake: base URLs for the real SDKs, fault injection, the request log. */
export interface FakeProviders {
  /** `http://HOST:PORT`. */
  readonly url: string;
  /** `${url}/openai/v1`: `new OpenAI({ baseURL: openaiBaseUrl, apiKey: 'test' })`. */
  readonly openaiBaseUrl: string;
  /** `${url}/anthropic`: `new Anthropic({ baseURL: anthropicBaseUrl, apiKey: 'test' })`. */
  readonly anthropicBaseUrl: string;
  /** `${url}/gemini`: `new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: geminiBaseUrl } })`. */
  readonly geminiBaseUrl: string;
  /** Runtime fault injection. */
  readonly faults: FaultController;
  /** The most recent requests (a copy), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Clears faults, the request log and the prompt caches, and fills the rate-limit budgets again (for a server shared by several tests). */
  reset(): void;
  /** Stops listening, destroys every open socket, ends pending waits and fault timers. Idempotent. */
  close(): Promise<void>;
}

type Handler = (ex: Exchange, body: JsonObject) => Promise<void>;

const ROUTES = new Map<string, { dialect: ProviderDialect; handler: Handler }>([
  ['POST /openai/v1/chat/completions', { dialect: openaiDialect, handler: handleChatCompletions }],
  ['POST /openai/v1/responses', { dialect: openaiDialect, handler: handleResponses }],
  ['POST /openai/v1/embeddings', { dialect: openaiDialect, handler: handleEmbeddings }],
  ['POST /anthropic/v1/messages', { dialect: anthropicDialect, handler: handleMessages }],
]);

/** Starts the fake providers on loopback; resolves once listening. */
export async function startFakeProviders(options: FakeProvidersOptions = {}): Promise<FakeProviders> {
  const { host = '127.0.0.1', port = 0, seed = 1, models = [], timeScale = 1, maxHangMs = 30_000, requestLogSize = 1000, controlToken, rateLimits = [], now = Date.now } = options;
  checkOption('port', port, Number.isInteger(port) && port >= 0 && port <= 65_535);
  checkOption('seed', seed, Number.isFinite(seed));
  checkOption('timeScale', timeScale, Number.isFinite(timeScale) && timeScale >= 0);
  checkOption('maxHangMs', maxHangMs, Number.isFinite(maxHangMs) && maxHangMs >= 0 && maxHangMs <= 2 ** 31 - 1);
  checkOption('requestLogSize', requestLogSize, Number.isInteger(requestLogSize) && requestLogSize >= 1);
  checkOption('now', now, typeof now === 'function');
  // A short token could be guessed by any local process; the value itself is never printed.
  if (controlToken !== undefined && !(typeof controlToken === 'string' && controlToken.length >= 16)) throw new TypeError('startFakeProviders: controlToken must be a string of at least 16 characters');

  const lifetime = new AbortController();
  // Every in-flight exchange listens for the server closing: no listener limit (Node warns past 10).
  setMaxListeners(0, lifetime.signal);
  const catalog = new ModelCatalog(models);
  const limiter = new RateLimiter(catalog, rateLimits, now);
  const state: ServerState = {
    catalog,
    faults: new FaultRegistry((drains) => limiter.setDrains(drains)),
    openaiCache: new PromptCache(),
    anthropicCache: new PromptCache(),
    geminiCache: new PromptCache(),
    rng: new Random(seed),
    seed,
    timeScale,
    maxHangMs,
    log: new RequestLog(requestLogSize),
    rateLimits: limiter,
    now,
    signal: lifetime.signal,
  };
  const admin = new AdminRoutes(state, controlToken);
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true }, (req, res) => {
    void dispatch(req, res, state, admin);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    openaiBaseUrl: `${url}/openai/v1`,
    anthropicBaseUrl: `${url}/anthropic`,
    geminiBaseUrl: `${url}/gemini`,
    faults: state.faults,
    get requests() {
      return state.log.snapshot();
    },
    reset() {
      state.faults.clear();
      state.log.clear();
      state.openaiCache.clear();
      state.anthropicCache.clear();
      state.geminiCache.clear();
      state.rateLimits.reset();
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        lifetime.abort();
        state.faults.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

async function dispatch(req: IncomingMessage, res: ServerResponse, state: ServerState, admin: AdminRoutes): Promise<void> {
  const path = pathOf(req.url);
  if (admin.matches(path)) {
    await admin.handle(req, res, path).catch(() => res.destroy());
    return;
  }
  const route = ROUTES.get(`${req.method ?? ''} ${path}`) ?? geminiRoute(req.method, path);
  const dialect = route?.dialect ?? (path.startsWith('/openai/') ? openaiDialect : path.startsWith('/anthropic/') ? anthropicDialect : path.startsWith('/gemini/') ? geminiDialect : undefined);
  const ex = new Exchange(req, res, state, dialect, `${req.method ?? ''} ${path}`);
  state.log.add(ex.record);
  try {
    if (!route) {
      req.resume();
      const shown = dialect === openaiDialect ? path.slice('/openai'.length) : path;
      return ex.sendError({ kind: 'not_found', message: dialect === openaiDialect ? `Invalid URL (${req.method ?? ''} ${shown})` : `Not found: ${req.method ?? ''} ${shown}` });
    }
    const result = await readJsonBody(req);
    switch (result.kind) {
      case 'aborted':
        return;
      case 'too_large':
        return ex.sendError({ kind: 'too_large' });
      case 'invalid_json':
        return ex.invalid(
          dialect === openaiDialect
            ? "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)"
            : 'There was an issue with the request body: it is not valid JSON.',
        );
      case 'not_object':
        return ex.invalid('The request body must be a JSON object.');
      case 'ok': {
        const overrides = parseOverrides(req.headers);
        if (!overrides.ok) return ex.invalid(overrides.message);
        ex.overrides = overrides.value;
        return await route.handler(ex, result.body);
      }
    }
  } catch {
    // Never crash on bad input: whatever slipped through is the fake's own 500.
    if (!res.headersSent) ex.sendError({ kind: 'server_error' });
    else res.destroy();
  }
}

function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const query = raw.indexOf('?');
  return query === -1 ? raw : raw.slice(0, query);
}

function checkOption(name: string, value: unknown, valid: boolean): void {
  if (!valid) throw new TypeError(`startFakeProviders: invalid ${name} ${JSON.stringify(value)}`);
}
