/**
 * The whole local stack in dependency order: the notification sink (where
 * Alertmanager delivers), the demo service (what Prometheus scrapes),
 * Alertmanager (where Prometheus sends alerts; with `alertmanagerHa` two nodes
 * peered by gossip), Prometheus (scraping the demo,
 * itself and Alertmanager), then traffic, and on request the app plugin's
 * preview harness in front of Prometheus. `npm start` runs it with fixed ports;
 * live tests run it on free ports. A missing Debian binary leaves that part out
 * with the install command as the reason, so the rest still runs; anything else
 * that fails stops what was started and throws.
 */
import { type AlertmanagerInstance, assertPortFree, type ConfigObject, type Delivery, freePort, type LogTarget, MissingToolError, type NotificationSink, LOOPBACK, PortInUseError, type PrometheusInstance, readYamlFile, resolveTool, startAlertmanager, startNotificationSink, startPrometheus, waitForClusterPeers } from '@modelwatch/testkit';
import { DemoNotBuiltError, startDemo, type DemoInstance, type DemoOptions } from './demo';
import { PreviewNotBuiltError, startPreview, type PreviewInstance } from './preview';
import { assertScaleOptions, startScalePath, type ScaleOptions, type ScalePath } from './scale';
import { REPO_PATHS } from './repo';
import { PORT_ENV_VARS, alertmanagerConfigForRun, prometheusConfigForRun, type RouteTiming, type StackPart } from './stack-config';
import { startTraffic, startTrafficLoop, type TrafficInstance, type TrafficOptions } from './traffic';

type PortedPart = keyof typeof PORT_ENV_VARS;

/** How long the nodes of an HA Alertmanager get to find each other (and the `peers` given) before the start fails. */
export const DEFAULT_PEER_TIMEOUT_MS = 20_000;
/** Parts that can be left out: the stack's own, plus the app preview. */
export type SkippablePart = StackPart | 'preview';

/** The variable naming the app preview's port in errors (`npm start` reads it). */
export const PREVIEW_PORT_ENV_VAR = 'PREVIEW_PORT';

export interface StackOptions {
  /** Fixed ports (checked up front; a taken one fails naming its env var). Parts left out get free ports. */
  ports?: Partial<Record<PortedPart, number>>;
  /** @defaultValue config/prometheus.yml */
  prometheusConfigFile?: string;
  /** @defaultValue config/alertmanager.yml */
  alertmanagerConfigFile?: string;
  /** Grouping timers replacing the Alertmanager config's (tests: seconds instead of the demo's 10s/30s). */
  alertmanagerTiming?: RouteTiming;
  /**
   * The scale path instead of Prometheus: vmagent shards scrape, VictoriaMetrics
   * stores, vmalert evaluates the same rule files and sends to the same
   * Alertmanager(s); the app preview reads VictoriaMetrics. A shard count
   * under 1, or a rule file vmalert rejects, fails the start. @defaultValue Prometheus
   */
  scale?: false | ScaleOptions;
  /**
   * Prometheus' TSDB in this directory, kept after `stop()`, so a Prometheus
   * started again on it finds its WAL (a restart mid-incident). @defaultValue a throw-away one
   */
  prometheusDataDir?: string;
  /** Last edit of this run's Prometheus config (after ports and paths are set), e.g. other rule files or intervals. */
  editPrometheusConfig?: (config: ConfigObject) => ConfigObject;
  /**
   * Alertmanager in HA: two nodes peered by gossip on free loopback ports,
   * Prometheus sending every alert to both, so one may die without a page
   * lost or doubled. `peers` adds gossip addresses (`host:port`) of nodes run
   * elsewhere; every peer must join within `peerTimeoutMs` or the start fails
   * (testkit's `AlertmanagerPeerError`, naming the peer). @defaultValue one node, gossip off
   */
  alertmanagerHa?: false | { peers?: readonly string[]; peerTimeoutMs?: number };
  /** Last edit of this run's Alertmanager config (after the sink URLs are set). */
  editAlertmanagerConfig?: (config: ConfigObject) => ConfigObject;
  /** Demo options, or false to run without the demo (and traffic). */
  demo?: false | Omit<DemoOptions, 'port' | 'portEnvVar' | 'log'>;
  /**
   * Traffic options, or false for none. With `loop`, each run is followed by
   * the next until the stack stops. @defaultValue one baseline run with the generator's defaults
   */
  traffic?: false | (Omit<TrafficOptions, 'target' | 'log'> & { loop?: boolean });
  /** Where the children's prefixed log lines go. @defaultValue nowhere (each keeps its last 64 KiB) */
  log?: LogTarget;
  /**
   * The app plugin's preview harness, answering Grafana's routes from this
   * stack's Prometheus and Alertmanager. Left out when the plugin is not built.
   * @defaultValue none
   */
  preview?: false | { port?: number };
  /** Called for each notification the sink receives. */
  onDelivery?: (delivery: Delivery) => void;
  /** Told about each part left out. @defaultValue console.warn */
  onSkip?: (part: SkippablePart, reason: string) => void;
}

export interface StackUrls {
  sink: string;
  deliveries: string;
  demo?: string;
  metrics?: string;
  prometheus?: string;
  /** The scale path's store, answering PromQL (MetricsQL) like Prometheus. */
  victoriaMetrics?: string;
  vmalert?: string;
  alertmanager?: string;
  /** The other nodes of an HA Alertmanager. */
  alertmanagerPeers?: string[];
  /** The app preview's Overview page. */
  preview?: string;
}

export interface Stack {
  readonly urls: StackUrls;
  readonly sink: NotificationSink;
  readonly demo?: DemoInstance;
  readonly prometheus?: PrometheusInstance;
  /** With `scale`: VictoriaMetrics, the vmagent shards, vmalert. */
  readonly scale?: ScalePath;
  /** The first Alertmanager node (the only one without `alertmanagerHa`). */
  readonly alertmanager?: AlertmanagerInstance;
  /** Every Alertmanager node, the first one first. */
  readonly alertmanagers: readonly AlertmanagerInstance[];
  readonly traffic?: TrafficInstance;
  readonly preview?: PreviewInstance;
  /** Parts left out, and why (e.g. the install command of a missing binary). */
  readonly skipped: readonly { part: SkippablePart; reason: string }[];
  /** Stops every part, in reverse order, and waits for all their processes. Safe to call twice. */
  stop(): Promise<void>;
}

/** Several fixed ports are taken; the message has one line per port. */
export class PortsInUseError extends Error {
  constructor(readonly errors: readonly PortInUseError[]) {
    super(errors.map((error) => error.message).join('\n'));
    this.name = 'PortsInUseError';
  }
}

/** Starts the stack; see the module comment for the order and what may be left out. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  await assertPortsFree(options.ports ?? {});
  if (options.scale) assertScaleOptions(options.scale);
  const skipped: { part: SkippablePart; reason: string }[] = [];
  const skip = (part: SkippablePart, reason: string) => {
    skipped.push({ part, reason });
    (options.onSkip ?? ((p: SkippablePart, r: string) => console.warn(`${p}: left out — ${r}`)))(part, reason);
  };
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    // Traffic first, sink last: nothing is left sending to a stopped part.
    for (const stop of stops.reverse()) await stop();
  };
  const started = <T extends { stop(): Promise<void> }>(part: T): T => {
    stops.push(() => part.stop());
    return part;
  };
  const fixed = options.ports ?? {};
  const portFor = async (part: PortedPart) => fixed[part] ?? (await freePort());

  try {
    const sink = started(await startNotificationSink({ port: fixed.sink, portEnvVar: PORT_ENV_VARS.sink, onDelivery: options.onDelivery }));

    let demo: DemoInstance | undefined;
    if (options.demo !== false) {
      try {
        demo = started(await startDemo({ ...options.demo, port: await portFor('demo'), portEnvVar: PORT_ENV_VARS.demo, log: options.log }));
      } catch (error) {
        if (!(error instanceof DemoNotBuiltError)) throw error;
        skip('demo', error.message);
      }
    }

    const alertmanagers: AlertmanagerInstance[] = [];
    const alertmanagerBinary = binaryOrSkip('alertmanager', skip);
    if (alertmanagerBinary) {
      const file = options.alertmanagerConfigFile ?? REPO_PATHS.alertmanagerConfig;
      const runConfig = alertmanagerConfigForRun(readYamlFile(file), file, sink.url, options.alertmanagerTiming, demo?.url);
      const config = options.editAlertmanagerConfig ? options.editAlertmanagerConfig(runConfig) : runConfig;
      const ha = options.alertmanagerHa || undefined;
      const gossipPorts = ha ? [await freePort(), await freePort()] : [];
      const gossip = gossipPorts.map((port) => `${LOOPBACK}:${port}`);
      // The first node takes the fixed port (ALERTMANAGER_PORT); the second a free one.
      for (const [node, port] of (ha ? [await portFor('alertmanager'), await freePort()] : [await portFor('alertmanager')]).entries()) {
        const cluster = ha && { port: gossipPorts[node]!, peers: [...gossip.filter((_, i) => i !== node), ...(ha.peers ?? [])] };
        alertmanagers.push(
          started(await startAlertmanager({ config, binary: alertmanagerBinary, port, portEnvVar: node === 0 ? PORT_ENV_VARS.alertmanager : undefined, log: options.log, ...(cluster ? { cluster } : {}) })),
        );
      }
      if (ha) await waitForClusterPeers(alertmanagers, ha.peers ?? [], ha.peerTimeoutMs ?? DEFAULT_PEER_TIMEOUT_MS);
    }
    const alertmanager = alertmanagers[0];

    let prometheus: PrometheusInstance | undefined;
    let scale: ScalePath | undefined;
    const prometheusBinary = options.scale ? undefined : binaryOrSkip('prometheus', skip);
    if (prometheusBinary || options.scale) {
      const file = options.prometheusConfigFile ?? REPO_PATHS.prometheusConfig;
      const port = await portFor('prometheus');
      const runConfig = prometheusConfigForRun(readYamlFile(file), file, { prometheus: port, demo: demo?.port, alertmanager: alertmanager && alertmanagers.map((node) => node.port) });
      const config = options.editPrometheusConfig ? options.editPrometheusConfig(runConfig) : runConfig;
      if (options.scale) scale = started(await startScalePath(config, alertmanagers.map((node) => node.url), { ...options.scale, log: options.log }));
      else prometheus = started(await startPrometheus({ config, binary: prometheusBinary, port, portEnvVar: PORT_ENV_VARS.prometheus, log: options.log, dataDir: options.prometheusDataDir }));
    }
    /** What answers PromQL: Prometheus, or VictoriaMetrics on the scale path. */
    const queryUrl = prometheus?.url ?? scale?.victoriaMetrics.url;

    let traffic: TrafficInstance | undefined;
    if (options.traffic !== false && demo) {
      try {
        const { loop, ...trafficOptions } = options.traffic ?? {};
        traffic = started(await (loop ? startTrafficLoop : startTraffic)({ ...trafficOptions, target: demo.url, log: options.log }));
      } catch (error) {
        if (!(error instanceof DemoNotBuiltError)) throw error;
        skip('traffic', error.message);
      }
    }

    let preview: PreviewInstance | undefined;
    if (options.preview && queryUrl) {
      try {
        preview = started(
          await startPreview({ prometheusUrl: queryUrl, alertmanagerUrl: alertmanager?.url, port: options.preview.port, portEnvVar: PREVIEW_PORT_ENV_VAR, log: options.log }),
        );
      } catch (error) {
        if (!(error instanceof PreviewNotBuiltError)) throw error;
        skip('preview', error.message);
      }
    } else if (options.preview) {
      skip('preview', 'it needs Prometheus');
    }

    let stopping: Promise<void> | undefined;
    return {
      urls: {
        sink: sink.url,
        deliveries: `${sink.url}/deliveries`,
        ...(demo ? { demo: demo.url, metrics: demo.metricsUrl } : {}),
        ...(prometheus ? { prometheus: prometheus.url } : {}),
        ...(scale ? { victoriaMetrics: scale.victoriaMetrics.url, vmalert: scale.vmalert.url } : {}),
        ...(alertmanager ? { alertmanager: alertmanager.url } : {}),
        ...(alertmanagers.length > 1 ? { alertmanagerPeers: alertmanagers.slice(1).map((node) => node.url) } : {}),
        ...(preview ? { preview: preview.appUrl } : {}),
      },
      sink,
      demo,
      prometheus,
      scale,
      alertmanager,
      alertmanagers,
      traffic,
      preview,
      skipped,
      stop() {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function binaryOrSkip(name: 'prometheus' | 'alertmanager', skip: (part: SkippablePart, reason: string) => void): string | undefined {
  try {
    return resolveTool(name);
  } catch (error) {
    if (!(error instanceof MissingToolError)) throw error;
    skip(name, error.message);
    return undefined;
  }
}

/**
 * Checks fixed ports before anything starts: each part its own port, and every
 * one free — else one error naming each taken port and its variable.
 */
export async function assertPortsFree(ports: Partial<Record<PortedPart, number>>): Promise<void> {
  const byPort = new Map<number, PortedPart>();
  for (const [part, port] of Object.entries(ports) as [PortedPart, number | undefined][]) {
    if (port === undefined) continue;
    const other = byPort.get(port);
    if (other) throw new Error(`${PORT_ENV_VARS[other]} and ${PORT_ENV_VARS[part]} are both ${port}; give each part its own port`);
    byPort.set(port, part);
  }
  const errors: PortInUseError[] = [];
  for (const [part, port] of Object.entries(ports) as [PortedPart, number | undefined][]) {
    if (port === undefined) continue;
    try {
      await assertPortFree(port, PORT_ENV_VARS[part]);
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new PortsInUseError(errors);
}
