/**
 * A real Prometheus for tests: started on a free loopback port with a generated
 * config and a throw-away TSDB, stopped (and its data removed) by `stop()`.
 * Generic on purpose: the exporter, alerting and dashboard suites all use it.
 *
 * Needs the `prometheus` binary (Debian package `prometheus`, 2.42 here). When it
 * is missing, `startPrometheus` throws: a suite that cannot check against
 * Prometheus fails, it never skips.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusOptions {
  /** `host:port` targets scraped as one job. */
  targets?: readonly string[];
  /** Job of `targets`. @defaultValue 'modelwatch' */
  jobName?: string;
  /** Metrics path of `targets`. @defaultValue '/metrics' */
  metricsPath?: string;
  /** @defaultValue '1s' */
  scrapeInterval?: string;
  /** @defaultValue '1s' */
  evaluationInterval?: string;
  /** More `scrape_configs` entries, as Prometheus' config schema (written as YAML). */
  scrapeConfigs?: readonly Record<string, unknown>[];
  /** Absolute paths of rule files to load. */
  ruleFiles?: readonly string[];
  /** `host:port` of Alertmanagers to send alerts to. */
  alertmanagers?: readonly string[];
  /** `global.external_labels`. */
  externalLabels?: Readonly<Record<string, string>>;
  /** Feature flags besides `exemplar-storage` (always on). */
  features?: readonly string[];
  /** Extra command-line flags. */
  extraArgs?: readonly string[];
  /** The binary. @defaultValue `$PROMETHEUS_BIN`, else `prometheus` on the PATH */
  binary?: string;
  /** How long to wait for `/-/ready`. @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export type Labels = Record<string, string>;

/** One series of an instant vector. */
export interface VectorSample {
  metric: Labels;
  value: [number, string];
}

export interface RangeSeries {
  metric: Labels;
  values: [number, string][];
}

export interface StoredExemplar {
  labels: Labels;
  value: string;
  timestamp: number;
}

export interface ExemplarSeries {
  seriesLabels: Labels;
  exemplars: StoredExemplar[];
}

/** An entry of `/api/v1/targets` → `activeTargets`. */
export interface ActiveTarget {
  discoveredLabels: Labels;
  labels: Labels;
  scrapePool: string;
  scrapeUrl: string;
  globalUrl: string;
  lastError: string;
  lastScrape: string;
  lastScrapeDuration: number;
  health: 'up' | 'down' | 'unknown';
  scrapeInterval: string;
  scrapeTimeout: string;
}

export interface WaitForOptions {
  /** @defaultValue 100 */
  intervalMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

export interface PrometheusInstance {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly configFile: string;
  readonly dataDir: string;
  /** Instant query (`/api/v1/query`); throws unless the result is a vector. */
  query(expr: string, time?: number): Promise<VectorSample[]>;
  /** The value of an instant query with at most one series; undefined when empty. */
  queryValue(expr: string, time?: number): Promise<number | undefined>;
  /** Range query (`/api/v1/query_range`), times in seconds. */
  queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]>;
  /** `/api/v1/query_exemplars`, times in seconds since the epoch. */
  queryExemplars(expr: string, start: number, end: number): Promise<ExemplarSeries[]>;
  /** Active targets (`/api/v1/targets?state=active`). */
  targets(): Promise<ActiveTarget[]>;
  /** Any GET of the HTTP API; returns `data` of a `status: success` answer. */
  api<T>(path: string, params?: Readonly<Record<string, string>>): Promise<T>;
  /** Reloads the config and rule files (`/-/reload`). */
  reload(): Promise<void>;
  /** What Prometheus logged so far (the last 64 KiB). */
  logs(): string;
  /** Kills Prometheus and removes its config and data. Safe to call twice. */
  stop(): Promise<void>;
}

const LOG_LIMIT = 64 * 1024;
/** How often `startPrometheus` picks another port when the one it chose was taken meanwhile. */
const PORT_ATTEMPTS = 3;

/** Starts Prometheus and resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusInstance> {
  const binary = options.binary ?? process.env.PROMETHEUS_BIN ?? 'prometheus';
  assertBinary(binary);
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    try {
      return await launch(binary, await freePort(), options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTakenError)) throw error;
    }
  }
  throw lastError;
}

/**
 * Polls `fn` until it returns something other than undefined, null or false,
 * and resolves with it. At the timeout, rejects with the description and the
 * last value or error seen.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, options: WaitForOptions = {}): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  let last: string = 'nothing yet';
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as Exclude<T, undefined | null | false>;
      last = `returned ${String(value)}`;
    } catch (error) {
      last = `threw ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) throw new Error(`waitFor${options.description ? ` (${options.description})` : ''}: not done after ${timeoutMs} ms; last attempt ${last}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

class PortTakenError extends Error {}

function assertBinary(binary: string): void {
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error ? probe.error.message : `exited with ${String(probe.status)}: ${probe.stderr}`;
    throw new Error(`Prometheus binary "${binary}" is not usable (${reason}). Install it with \`apt-get install prometheus\`, or set PROMETHEUS_BIN.`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function buildConfig(options: PrometheusOptions): Record<string, unknown> {
  const scrapeConfigs: Record<string, unknown>[] = [];
  if (options.targets && options.targets.length > 0) {
    scrapeConfigs.push({
      job_name: options.jobName ?? 'modelwatch',
      metrics_path: options.metricsPath ?? '/metrics',
      static_configs: [{ targets: [...options.targets] }],
    });
  }
  scrapeConfigs.push(...(options.scrapeConfigs ?? []));
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: options.scrapeInterval ?? '1s',
      scrape_timeout: options.scrapeInterval ?? '1s',
      evaluation_interval: options.evaluationInterval ?? '1s',
      ...(options.externalLabels ? { external_labels: { ...options.externalLabels } } : {}),
    },
    scrape_configs: scrapeConfigs,
  };
  if (options.ruleFiles && options.ruleFiles.length > 0) config.rule_files = [...options.ruleFiles];
  if (options.alertmanagers && options.alertmanagers.length > 0) {
    config.alerting = { alertmanagers: [{ static_configs: [{ targets: [...options.alertmanagers] }] }] };
  }
  return config;
}

async function launch(binary: string, port: number, options: PrometheusOptions): Promise<PrometheusInstance> {
  const workDir = mkdtempSync(join(tmpdir(), 'modelwatch-prometheus-'));
  const configFile = join(workDir, 'prometheus.yml');
  const dataDir = join(workDir, 'data');
  // JSON is valid YAML: no YAML library needed, and no quoting pitfalls.
  writeFileSync(configFile, JSON.stringify(buildConfig(options), null, 2));
  const features = ['exemplar-storage', ...(options.features ?? [])];
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--enable-feature=${features.join(',')}`,
    '--web.enable-lifecycle',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let spawnFailed = false;
  // Keep a spawn failure from becoming an uncaught 'error' event.
  child.once('error', (error) => {
    spawnFailed = true;
    append(Buffer.from(`spawn error: ${error.message}\n`));
  });
  const running = () => !spawnFailed && child.exitCode === null && child.signalCode === null;
  // If the test process dies without calling stop(), do not leave Prometheus behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    await terminate(child, exited, running);
    rmSync(workDir, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(url, running, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    if (/address already in use/i.test(output)) throw new PortTakenError(`port ${port} was taken`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nPrometheus ${args.join(' ')}\n${output}`);
  }

  const api = async <T>(path: string, params: Readonly<Record<string, string>> = {}): Promise<T> => {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${url}${path}${query ? `?${query}` : ''}`);
    const body = (await response.json()) as { status: string; data?: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path} ${query}: ${body.errorType ?? response.status}: ${body.error ?? ''}`);
    return body.data as T;
  };
  const query = async (expr: string, time?: number) => {
    const data = await api<{ resultType: string; result: VectorSample[] }>('/api/v1/query', time === undefined ? { query: expr } : { query: expr, time: String(time) });
    if (data.resultType !== 'vector') throw new Error(`Prometheus query ${expr}: expected a vector, got ${data.resultType}`);
    return data.result;
  };

  return {
    url,
    port,
    configFile,
    dataDir,
    api,
    query,
    async queryValue(expr, time) {
      const result = await query(expr, time);
      if (result.length > 1) throw new Error(`Prometheus query ${expr}: expected at most one series, got ${result.length}: ${JSON.stringify(result.map((s) => s.metric))}`);
      return result[0] === undefined ? undefined : Number(result[0].value[1]);
    },
    async queryRange(expr, start, end, step) {
      const data = await api<{ resultType: string; result: RangeSeries[] }>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) });
      return data.result;
    },
    queryExemplars: (expr, start, end) => api<ExemplarSeries[]>('/api/v1/query_exemplars', { query: expr, start: String(start), end: String(end) }),
    async targets() {
      return (await api<{ activeTargets: ActiveTarget[] }>('/api/v1/targets', { state: 'active' })).activeTargets;
    },
    async reload() {
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!response.ok) throw new Error(`Prometheus reload: ${response.status} ${await response.text()}`);
    },
    logs: () => output,
    stop,
  };
}

async function waitForReady(url: string, isRunning: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning()) throw new Error('Prometheus exited before it was ready');
    try {
      const response = await fetch(`${url}/-/ready`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Prometheus was not ready after ${timeoutMs} ms`);
}

async function terminate(child: ChildProcess, exited: Promise<unknown>, isRunning: () => boolean): Promise<void> {
  if (!isRunning()) return;
  child.kill('SIGTERM');
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(killTimer);
}
