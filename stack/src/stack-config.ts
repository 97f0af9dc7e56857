/**
 * The repo's config files (config/prometheus.yml, config/alertmanager.yml) are
 * written for the default ports. A run may use other ports (env vars, or free
 * ports in tests), so the stack reads them, points the targets and notification
 * URLs at this run's processes, makes relative paths absolute (the run's copy
 * lives in a temp dir), and writes the result — the files stay the single
 * source of the scrape jobs and the routing.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { type ConfigObject, LOOPBACK } from '@modelwatch/testkit';

export type StackPart = 'sink' | 'demo' | 'prometheus' | 'alertmanager' | 'traffic';

/** `npm start` ports, and the variables that change them. */
export const DEFAULT_PORTS = { demo: 8080, prometheus: 9090, alertmanager: 9093, sink: 9099 } as const;
export const PORT_ENV_VARS = { demo: 'DEMO_PORT', prometheus: 'PROMETHEUS_PORT', alertmanager: 'ALERTMANAGER_PORT', sink: 'SINK_PORT' } as const;

/** Scrape job names in config/prometheus.yml. `demo` is the service's `job` label in rules and dashboards. */
export const JOBS = { demo: 'demo', prometheus: 'prometheus', alertmanager: 'alertmanager' } as const;

/** The sink origin config/alertmanager.yml is written for; replaced by the running sink's. */
export const DEFAULT_SINK_ORIGIN = `http://${LOOPBACK}:${DEFAULT_PORTS.sink}`;
/** The demo origin config/alertmanager.yml is written for (the demo's failover webhook); replaced by the running demo's. */
export const DEFAULT_DEMO_ORIGIN = `http://${LOOPBACK}:${DEFAULT_PORTS.demo}`;

export interface RunPorts {
  prometheus: number;
  /** Absent when the demo does not run: its job is dropped. */
  demo?: number;
  /** Absent when Alertmanager does not run: its job and the `alerting` section are dropped. Several: an HA cluster, each node scraped and sent every alert. */
  alertmanager?: number | readonly number[];
}

/** config/prometheus.yml (parsed from `configFile`) adjusted to this run. */
export function prometheusConfigForRun(template: ConfigObject, configFile: string, ports: RunPorts): ConfigObject {
  const config = structuredClone(template);
  const base = dirname(configFile);
  if (Array.isArray(config.rule_files)) config.rule_files = config.rule_files.map((file: unknown) => absolute(base, String(file)));
  const scrapeConfigs = Array.isArray(config.scrape_configs) ? (config.scrape_configs as ConfigObject[]) : [];
  const alertmanagers = ports.alertmanager === undefined ? [] : [ports.alertmanager].flat().map((port) => `${LOOPBACK}:${port}`);
  const targetsOfJob: Record<string, string[]> = { [JOBS.demo]: portTargets(ports.demo), [JOBS.prometheus]: portTargets(ports.prometheus), [JOBS.alertmanager]: alertmanagers };
  for (const job of Object.values(JOBS)) {
    if (!scrapeConfigs.some((scrape) => scrape.job_name === job)) throw new Error(`${configFile}: no scrape job "${job}" (the stack points it at this run's port)`);
  }
  config.scrape_configs = scrapeConfigs
    .filter((scrape) => !(String(scrape.job_name) in targetsOfJob) || targetsOfJob[String(scrape.job_name)]!.length > 0)
    .map((scrape) => {
      const targets = targetsOfJob[String(scrape.job_name)];
      return targets === undefined ? scrape : { ...scrape, static_configs: [{ targets }] };
    });
  // Every node of an HA pair gets every alert: the pair deduplicates the notifications by gossip.
  if (alertmanagers.length === 0) delete config.alerting;
  else config.alerting = { ...(config.alerting as ConfigObject | undefined), alertmanagers: [{ static_configs: [{ targets: alertmanagers }] }] };
  return config;
}

const portTargets = (port: number | undefined): string[] => (port === undefined ? [] : [`${LOOPBACK}:${port}`]);

/** Grouping timers to override, e.g. for tests that cannot wait the config's group_interval for a resolve. */
export interface RouteTiming {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
}

/**
 * config/alertmanager.yml (parsed from `configFile`) delivering to the sink at
 * `sinkUrl`, and to the demo at `demoUrl` (its failover webhook) when it runs.
 * `timing` replaces those timers on the root route and on every route that sets
 * its own; receivers and matching stay as written.
 */
export function alertmanagerConfigForRun(template: ConfigObject, configFile: string, sinkUrl: string, timing?: RouteTiming, demoUrl?: string): ConfigObject {
  let config = retargetUrls(structuredClone(template), DEFAULT_SINK_ORIGIN, sinkUrl.replace(/\/$/, '')) as ConfigObject;
  if (demoUrl) config = retargetUrls(config, DEFAULT_DEMO_ORIGIN, demoUrl.replace(/\/$/, '')) as ConfigObject;
  if (Array.isArray(config.templates)) config.templates = config.templates.map((file: unknown) => absolute(dirname(configFile), String(file)));
  if (timing && isObject(config.route)) retime(config.route, timing, true);
  return config;
}

/**
 * The config with its quiet hours pinned for a test, whatever the time of day:
 * `'never'` drops every route's `mute_time_intervals`, so deliveries can be
 * asserted at night and at weekends too; `'always'` makes every time interval
 * cover all times, so muting can be asserted at any hour.
 */
export function withQuietHours(template: ConfigObject, when: 'never' | 'always'): ConfigObject {
  const config = structuredClone(template);
  if (when === 'never' && isObject(config.route)) unmute(config.route);
  if (when === 'always' && Array.isArray(config.time_intervals)) {
    // An interval with no fields matches every moment.
    for (const interval of config.time_intervals) if (isObject(interval)) interval.time_intervals = [{}];
  }
  return config;
}

function unmute(route: ConfigObject): void {
  delete route.mute_time_intervals;
  if (Array.isArray(route.routes)) for (const child of route.routes) if (isObject(child)) unmute(child);
}

function retime(route: ConfigObject, timing: RouteTiming, root: boolean): void {
  for (const [key, value] of Object.entries(timing)) if (value !== undefined && (root || key in route)) route[key] = value;
  if (Array.isArray(route.routes)) for (const child of route.routes) if (isObject(child)) retime(child, timing, false);
}

const isObject = (value: unknown): value is ConfigObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every `*url` setting (url, api_url, slack_api_url, pagerduty_url...) on the origin `from` moves to `to`. */
function retargetUrls(value: unknown, from: string, to: string): unknown {
  if (Array.isArray(value)) return value.map((item) => retargetUrls(item, from, to));
  if (typeof value !== 'object' || value === null) return value;
  const result: ConfigObject = {};
  for (const [key, item] of Object.entries(value)) {
    const onOrigin = key.endsWith('url') && typeof item === 'string' && (item === from || item.startsWith(`${from}/`));
    result[key] = onOrigin ? to + item.slice(from.length) : retargetUrls(item, from, to);
  }
  return result;
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path);
}
