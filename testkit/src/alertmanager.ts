/**
 * A real Alertmanager on 127.0.0.1: started with a config (object or file),
 * gossip off by default (`--cluster.listen-address=` empty: one node, no port
 * 9094 taken, and no "settling" wait before the first notification) or, with
 * `cluster`, gossiping with peers (HA: see {@link waitForClusterPeers}), a temp storage dir;
 * stopped, with its temp files removed, by `stop()`. Used by `npm start` and by
 * the alerting suite's live tests.
 *
 * Clients reach it through an origin guard (origin-guard.ts) at `url`:
 * Alertmanager grants every web origin CORS on its API and cannot be told
 * otherwise, so it listens on another loopback port under a random route
 * prefix, and the guard forwards only requests from no web page but its own.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertmanagerStatus, GettableAlert, GettableSilence, PostableAlert, PostableSilence } from './alertmanager-api';
import { resolveTool } from './tools';
import { writeYamlFile, type ConfigObject } from './config-file';
import { startOriginGuard, type OriginGuard } from './origin-guard';
import { LOOPBACK, freePort, launchOnPort } from './ports';
import type { LogTarget } from './prefixed-log';
import { startProcess, type ManagedProcess } from './process';
import { reloadBySignal } from './reload';

export interface AlertmanagerOptions {
  /** The whole config, as Alertmanager's YAML schema. Relative paths in it resolve against a temp dir: use absolute ones. */
  config?: ConfigObject;
  /** A config file used as is (relative `templates` resolve against its directory). */
  configFile?: string;
  /**
   * Gossip with other Alertmanagers (an HA pair or more): listen on this loopback
   * port and join these `host:port` peers. Each node then delivers a group only
   * when the nodes before it in the member list have not (15 s apart), and
   * silences and notification logs are shared. @defaultValue gossip off
   */
  cluster?: AlertmanagerClusterOptions;
  /** Extra command-line flags. */
  extraArgs?: readonly string[];
  /** The binary. @defaultValue `$ALERTMANAGER_BIN`, else `prometheus-alertmanager` (Debian) or `alertmanager` on the PATH */
  binary?: string;
  /** Listen on this port (checked first). @defaultValue a free port */
  port?: number;
  /** Named in the "port in use" error, e.g. `ALERTMANAGER_PORT`. */
  portEnvVar?: string;
  /** Where Alertmanager's log lines go (prefixed `[alertmanager]`). */
  log?: LogTarget;
  /** How long to wait for `/-/ready`. @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface AlertmanagerClusterOptions {
  /** The gossip port on 127.0.0.1 (TCP and UDP). */
  port: number;
  /** `host:port` gossip addresses of the other nodes. */
  peers: readonly string[];
}

export interface AlertmanagerInstance {
  /** `http://127.0.0.1:<port>`, also its `--web.external-url` (so links in notifications point here). */
  readonly url: string;
  readonly port: number;
  /** `127.0.0.1:<port>` of its gossip, when it runs in a cluster. */
  readonly clusterAddress?: string;
  readonly configFile: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  /** Alerts Alertmanager holds (`GET /api/v2/alerts`), optionally filtered by matchers like `severity="critical"`. */
  alerts(filter?: readonly string[]): Promise<GettableAlert[]>;
  /** Sends alerts as Prometheus would (`POST /api/v2/alerts`). */
  postAlerts(alerts: readonly PostableAlert[]): Promise<void>;
  silences(): Promise<GettableSilence[]>;
  /** Creates a silence; returns its id. */
  createSilence(silence: PostableSilence): Promise<string>;
  status(): Promise<AlertmanagerStatus>;
  /**
   * Reloads the config (SIGHUP; resolves once Alertmanager reports the reload
   * done, throws when it rejected the config). With `config`, first rewrites the
   * config file (only for a config this launcher wrote).
   */
  reload(config?: ConfigObject): Promise<void>;
  /** What Alertmanager logged so far (the last 64 KiB). */
  logs(): string;
  /** Stops Alertmanager and removes its temp files. Safe to call twice. */
  stop(): Promise<void>;
}

/** Starts Alertmanager and resolves once `/-/ready` answers 200. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<AlertmanagerInstance> {
  if (!options.config === !options.configFile) throw new Error('startAlertmanager: give exactly one of `config` and `configFile`');
  const binary = options.binary ?? resolveTool('alertmanager');
  return launchOnPort(options.port, options.portEnvVar, (port) => launch(binary, port, options));
}

async function launch(binary: string, port: number, options: AlertmanagerOptions): Promise<AlertmanagerInstance> {
  const workDir = mkdtempSync(join(tmpdir(), 'modelwatch-alertmanager-'));
  const ownsConfig = options.configFile === undefined;
  const configFile = options.configFile ?? join(workDir, 'alertmanager.yml');
  const dataDir = join(workDir, 'data');
  if (options.config) writeYamlFile(configFile, options.config, 'Written by @modelwatch/stack for one run.');
  const internalPort = await freePort();
  const routePrefix = `/${randomBytes(16).toString('hex')}`;
  const upstream = `http://${LOOPBACK}:${internalPort}${routePrefix}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.path=${dataDir}`,
    `--web.listen-address=${LOOPBACK}:${internalPort}`,
    `--web.route-prefix=${routePrefix}`,
    ...clusterArgs(options.cluster),
    ...(options.extraArgs ?? []),
  ];
  let guard: OriginGuard | undefined;
  let child: ManagedProcess;
  try {
    // The guard binds the public port first: a taken one fails here, before Alertmanager starts.
    guard = await startOriginGuard(port, upstream);
    // Links in notifications point at the guard.
    args.push(`--web.external-url=${guard.url}`);
    child = await startProcess({
      name: 'alertmanager',
      command: binary,
      args,
      log: options.log,
      ready: { url: `${upstream}/-/ready`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
    });
  } catch (error) {
    await guard?.stop();
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  }
  const { url } = guard;

  const request = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Alertmanager ${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    ...(options.cluster ? { clusterAddress: `${LOOPBACK}:${options.cluster.port}` } : {}),
    configFile,
    dataDir,
    process: child,
    alerts(filter = []) {
      const query = new URLSearchParams(filter.map((matcher): [string, string] => ['filter', matcher])).toString();
      return request<GettableAlert[]>('GET', `/api/v2/alerts${query ? `?${query}` : ''}`);
    },
    postAlerts: (alerts) => request<void>('POST', '/api/v2/alerts', alerts),
    silences: () => request<GettableSilence[]>('GET', '/api/v2/silences'),
    createSilence: async (silence) => (await request<{ silenceID: string }>('POST', '/api/v2/silences', silence)).silenceID,
    status: () => request<AlertmanagerStatus>('GET', '/api/v2/status'),
    async reload(config) {
      if (config) {
        if (!ownsConfig) throw new Error('Alertmanager reload(config): this instance runs a config file it did not write; edit that file instead');
        writeYamlFile(configFile, config, 'Written by @modelwatch/stack for one run.');
      }
      await reloadBySignal(child, url, 'alertmanager');
    },
    logs: () => child.logs(),
    stop() {
      stopped ??= Promise.all([guard.stop(), child.stop()]).then(() => rmSync(workDir, { recursive: true, force: true }));
      return stopped;
    },
  };
}

function clusterArgs(cluster: AlertmanagerClusterOptions | undefined): string[] {
  if (!cluster) return ['--cluster.listen-address='];
  const address = `${LOOPBACK}:${cluster.port}`;
  // A loopback listen address is not advertised by default (memberlist wants a routable one): say it.
  return [`--cluster.listen-address=${address}`, `--cluster.advertise-address=${address}`, ...cluster.peers.map((peer) => `--cluster.peer=${peer}`)];
}

/** A configured gossip peer never joined: the node would run alone, and deliver what its peer also delivers. */
export class AlertmanagerPeerError extends Error {
  constructor(
    readonly node: string,
    readonly missing: readonly string[],
    timeoutMs: number,
  ) {
    super(`Alertmanager ${node}: cluster peer ${missing.join(', ')} did not answer within ${timeoutMs / 1000} s (check the address and that its gossip port is reachable over TCP and UDP)`);
    this.name = 'AlertmanagerPeerError';
  }
}

/**
 * Resolves once every node lists every configured peer as a member (their
 * gossip joined), else throws an {@link AlertmanagerPeerError} naming the
 * peers missing: a node that runs alone still answers `/-/ready`.
 */
export async function waitForClusterPeers(nodes: readonly AlertmanagerInstance[], peers: readonly string[], timeoutMs: number): Promise<void> {
  const expected = [...new Set([...nodes.map((node) => node.clusterAddress!), ...peers])];
  const deadline = Date.now() + timeoutMs;
  for (const node of nodes) {
    let missing = expected;
    for (;;) {
      const members = ((await node.status()).cluster.peers ?? []).map((peer) => (peer as { address?: string }).address);
      missing = expected.filter((address) => !members.includes(address));
      if (missing.length === 0) break;
      if (Date.now() > deadline) throw new AlertmanagerPeerError(node.clusterAddress ?? node.url, missing, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
