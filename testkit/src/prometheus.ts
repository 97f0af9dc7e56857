/**
 * A real Prometheus on 127.0.0.1: started with a config (object, file, or the
 * few options tests need), a throw-away TSDB and exemplar storage; stopped,
 * with its temp files removed, by `stop()`. No lifecycle API (`/-/quit` would
 * be a cross-site POST away: reloads go by SIGHUP) and CORS for its own origin
 * only (Prometheus' default, `.*`, lets any web page read its API).
 * The one way the repo starts Prometheus: `npm start`, and the live tests of
 * the exporter, alerting, dashboards and plugin.
 *
 * A missing binary throws {@link MissingToolError}: a suite that cannot check
 * against Prometheus fails, it never skips.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { resolveTool } from './tools';
import { readYamlFile, writeYamlFile, type ConfigObject } from './config-file';
import type { ActiveTarget, ExemplarSeries, PrometheusAlert, RangeSeries, RuleGroup, VectorSample } from './prometheus-api';
import { LOOPBACK, launchOnPort } from './ports';
import type { LogTarget } from './prefixed-log';
import { startProcess, type ManagedProcess } from './process';
import { reloadBySignal } from './reload';
import { waitFor } from './wait';

export interface PrometheusOptions {
  /** The whole config, as Prometheus' YAML schema. Relative paths in it resolve against a temp dir: use absolute ones. */
  config?: ConfigObject;
  /** A config file used as is (relative paths resolve against its directory). */
  configFile?: string;
  /** Without `config`/`configFile`: `host:port` targets scraped as one job. */
  targets?: readonly string[];
  /** Job of `targets`. @defaultValue 'modelwatch' */
  jobName?: string;
  /** Metrics path of `targets`. @defaultValue '/metrics' */
  metricsPath?: string;
  /** @defaultValue '1s' */
  scrapeInterval?: string;
  /** @defaultValue '1s' */
  evaluationInterval?: string;
  /** More `scrape_configs` entries. */
  scrapeConfigs?: readonly ConfigObject[];
  /** Absolute paths (or globs) of rule files. */
  ruleFiles?: readonly string[];
  /** `host:port` of Alertmanagers to send alerts to. */
  alertmanagers?: readonly string[];
  /** `global.external_labels`. */
  externalLabels?: Readonly<Record<string, string>>;
  /** Feature flags besides `exemplar-storage` (always on). */
  features?: readonly string[];
  /** Extra command-line flags. */
  extraArgs?: readonly string[];
  /** An existing TSDB (e.g. one `promtool tsdb create-blocks-from` backfilled) instead of a throw-away one; `stop()` leaves it in place. */
  dataDir?: string;
  /** The binary. @defaultValue `$PROMETHEUS_BIN`, else `prometheus` on the PATH */
  binary?: string;
  /** Listen on this port (checked first). @defaultValue a free port */
  port?: number;
  /** Named in the "port in use" error, e.g. `PROMETHEUS_PORT`. */
  portEnvVar?: string;
  /** Where Prometheus' log lines go (prefixed `[prometheus]`). */
  log?: LogTarget;
  /** How long to wait for `/-/ready`. @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface PrometheusInstance {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly configFile: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  /** Any GET of the HTTP API; returns `data` of a `status: success` answer. */
  api<T>(path: string, params?: Readonly<Record<string, string>>): Promise<T>;
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
  /** Rule groups as loaded and last evaluated (`/api/v1/rules`). */
  rules(): Promise<RuleGroup[]>;
  /** Pending and firing alerts (`/api/v1/alerts`). */
  alerts(): Promise<PrometheusAlert[]>;
  /** Resolves once every target of `job` is up (at least one); throws with their last errors at the timeout. */
  waitForTargetsUp(job: string, timeoutMs: number): Promise<ActiveTarget[]>;
  /**
   * Reloads config and rule files (SIGHUP; resolves once Prometheus reports the
   * reload done, throws when it rejected the config). With `config`, first
   * rewrites the config file (only for a config this launcher wrote).
   */
  reload(config?: ConfigObject): Promise<void>;
  /** What Prometheus logged so far (the last 64 KiB). */
  logs(): string;
  /** Stops Prometheus and removes its temp files. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts Prometheus and resolves once `/-/ready` answers 200. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusInstance> {
  if ((options.config || options.configFile) && (options.targets || options.scrapeConfigs || options.ruleFiles || options.alertmanagers)) {
    throw new Error('startPrometheus: give either `config`/`configFile` or the config-building options (targets, scrapeConfigs, ruleFiles, alertmanagers), not both');
  }
  const binary = options.binary ?? resolveTool('prometheus');
  if (options.configFile) assertRuleFilesExist(readYamlFile(options.configFile), dirname(options.configFile));
  else assertRuleFilesExist(options.config ?? buildPrometheusConfig(options), process.cwd());
  return launchOnPort(options.port, options.portEnvVar, (port) => launch(binary, port, options));
}

/** The config the simple options describe. */
export function buildPrometheusConfig(options: PrometheusOptions): ConfigObject {
  const scrapeConfigs: ConfigObject[] = [];
  if (options.targets && options.targets.length > 0) {
    scrapeConfigs.push({
      job_name: options.jobName ?? 'modelwatch',
      metrics_path: options.metricsPath ?? '/metrics',
      static_configs: [{ targets: [...options.targets] }],
    });
  }
  scrapeConfigs.push(...(options.scrapeConfigs ?? []));
  const config: ConfigObject = {
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

/**
 * Prometheus 2.42 globs every `rule_files` entry, so a misspelt file name
 * matches nothing and it runs without those rules, silently (only promtool
 * complains). A name without glob characters must therefore exist.
 */
function assertRuleFilesExist(config: ConfigObject, baseDir: string): void {
  const files = Array.isArray(config.rule_files) ? config.rule_files.map(String) : [];
  const missing = files.filter((file) => !/[*?[]/.test(file) && !existsSync(resolve(baseDir, file)));
  if (missing.length > 0) throw new Error(`Prometheus rule file(s) not found: ${missing.join(', ')} (Prometheus would run without them, silently)`);
}

/**
 * How often Prometheus re-sends a firing alert to Alertmanager. Alertmanager
 * keeps an alert alive for 4 × max(this, evaluation interval) after each send
 * (rules/alerting.go), so when Prometheus dies the watchdog keeps pinging the
 * dead-man's switch that long: 4 min at the 1m default, 1 min at 15 s.
 * docker-compose.yml passes the same flag.
 */
export const ALERT_RESEND_DELAY = '15s';

async function launch(binary: string, port: number, options: PrometheusOptions): Promise<PrometheusInstance> {
  const workDir = mkdtempSync(join(tmpdir(), 'modelwatch-prometheus-'));
  const ownsConfig = options.configFile === undefined;
  const configFile = options.configFile ?? join(workDir, 'prometheus.yml');
  const dataDir = options.dataDir ?? join(workDir, 'data');
  if (ownsConfig) writeYamlFile(configFile, options.config ?? buildPrometheusConfig(options), 'Written by @modelwatch/stack for one run.');
  const url = `http://${LOOPBACK}:${port}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=${LOOPBACK}:${port}`,
    `--web.external-url=${url}`,
    `--enable-feature=${['exemplar-storage', ...(options.features ?? [])].join(',')}`,
    `--rules.alert.resend-delay=${ALERT_RESEND_DELAY}`,
    // A fully anchored regular expression: the dots of the address escaped.
    `--web.cors.origin=${url.replaceAll('.', '\\.')}`,
    ...(options.extraArgs ?? []),
  ];
  let child: ManagedProcess;
  try {
    child = await startProcess({
      name: 'prometheus',
      command: binary,
      args,
      log: options.log,
      ready: { url: `${url}/-/ready`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
    });
  } catch (error) {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }

  const api = async <T>(path: string, params: Readonly<Record<string, string>> = {}): Promise<T> => {
    const query = new URLSearchParams(params).toString();
    const response = await fetch(`${url}${path}${query ? `?${query}` : ''}`);
    const body = (await response.json()) as { status: string; data?: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path} ${query}: ${body.errorType ?? response.status}: ${body.error ?? ''}`);
    return body.data as T;
  };
  const query = async (expr: string, time?: number): Promise<VectorSample[]> => {
    const data = await api<{ resultType: string; result: VectorSample[] }>('/api/v1/query', time === undefined ? { query: expr } : { query: expr, time: String(time) });
    if (data.resultType !== 'vector') throw new Error(`Prometheus query ${expr}: expected a vector, got ${data.resultType}`);
    return data.result;
  };
  const targets = async () => (await api<{ activeTargets: ActiveTarget[] }>('/api/v1/targets', { state: 'active' })).activeTargets;

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    configFile,
    dataDir,
    process: child,
    api,
    query,
    async queryValue(expr, time) {
      const result = await query(expr, time);
      if (result.length > 1) throw new Error(`Prometheus query ${expr}: expected at most one series, got ${result.length}: ${JSON.stringify(result.map((s) => s.metric))}`);
      return result[0] === undefined ? undefined : Number(result[0].value[1]);
    },
    async queryRange(expr, start, end, step) {
      return (await api<{ result: RangeSeries[] }>('/api/v1/query_range', { query: expr, start: String(start), end: String(end), step: String(step) })).result;
    },
    queryExemplars: (expr, start, end) => api<ExemplarSeries[]>('/api/v1/query_exemplars', { query: expr, start: String(start), end: String(end) }),
    targets,
    rules: async () => (await api<{ groups: RuleGroup[] }>('/api/v1/rules')).groups,
    alerts: async () => (await api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts,
    async waitForTargetsUp(job, timeoutMs) {
      let seen: ActiveTarget[] = [];
      return waitFor(
        async () => {
          seen = (await targets()).filter((t) => t.labels.job === job);
          return seen.length > 0 && seen.every((t) => t.health === 'up') ? seen : undefined;
        },
        timeoutMs,
        { intervalMs: 250, description: `targets of job "${job}" up` },
      ).catch((error: Error) => {
        const detail = seen.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join('; ') || 'no such target';
        throw new Error(`${error.message} (${detail})`);
      });
    },
    async reload(config) {
      if (config) {
        if (!ownsConfig) throw new Error('Prometheus reload(config): this instance runs a config file it did not write; edit that file instead');
        writeYamlFile(configFile, config, 'Written by @modelwatch/stack for one run.');
      }
      await reloadBySignal(child, url, 'prometheus');
    },
    logs: () => child.logs(),
    stop() {
      stopped ??= child.stop().then(() => rmSync(workDir, { recursive: true, force: true }));
      return stopped;
    },
  };
}
