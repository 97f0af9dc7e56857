/**
 * A real vmagent (Debian `victoria-metrics`) on 127.0.0.1: scrapes the
 * `scrape_configs` (and scrape settings) of a Prometheus config and remote-writes the samples, the
 * scraping half of the scale path. With `shard`, it is one member of a cluster
 * of scrapers and takes only its share of the targets
 * (`-promscrape.cluster.membersCount/memberNum`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeYamlFile, type ConfigObject } from './config-file';
import { LOOPBACK, launchOnPort } from './ports';
import type { LogTarget } from './prefixed-log';
import type { ActiveTarget } from './prometheus-api';
import { startProcess, type ManagedProcess } from './process';
import { resolveTool } from './tools';

export interface VmagentOptions {
  /** A Prometheus config; its `global` and `scrape_configs` are used. */
  scrapeConfig: ConfigObject;
  /** Where samples go, e.g. VictoriaMetrics' `writeUrl`. */
  remoteWriteUrl: string;
  /** This scraper's place in a cluster of `count`: it scrapes about 1/count of the targets. @defaultValue all targets */
  shard?: { count: number; member: number };
  binary?: string;
  port?: number;
  log?: LogTarget;
  /** @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface VmagentInstance {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  /** The targets this member scrapes (`/api/v1/targets`, Prometheus' shape): its share only. */
  targets(): Promise<ActiveTarget[]>;
  logs(): string;
  stop(): Promise<void>;
}

/** Checks the shard numbers before anything starts: a member outside 0 … count-1 would scrape nothing, silently. */
export function assertShard(shard: { count: number; member: number }): void {
  if (!Number.isInteger(shard.count) || shard.count < 1) throw new Error(`vmagent shard count must be a whole number of at least 1, got ${shard.count}`);
  if (!Number.isInteger(shard.member) || shard.member < 0 || shard.member >= shard.count) throw new Error(`vmagent shard ${shard.member} is not in 0 … ${shard.count - 1}`);
}

/** Starts vmagent and resolves once `/health` answers 200. */
export async function startVmagent(options: VmagentOptions): Promise<VmagentInstance> {
  if (options.shard) assertShard(options.shard);
  const binary = options.binary ?? resolveTool('vmagent');
  return launchOnPort(options.port, undefined, async (port) => {
    const workDir = mkdtempSync(join(tmpdir(), 'modelwatch-vmagent-'));
    const configFile = join(workDir, 'scrape.yml');
    // vmagent's `global` knows only the scrape settings (it refuses the rest, e.g. evaluation_interval).
    const { scrape_interval, scrape_timeout, external_labels } = (options.scrapeConfig.global ?? {}) as ConfigObject;
    const global = Object.fromEntries(Object.entries({ scrape_interval, scrape_timeout, external_labels }).filter(([, value]) => value !== undefined));
    writeYamlFile(configFile, { global, scrape_configs: options.scrapeConfig.scrape_configs }, 'Written by @modelwatch/stack for one run.');
    const url = `http://${LOOPBACK}:${port}`;
    let child: ManagedProcess;
    try {
      child = await startProcess({
        name: options.shard ? `vmagent-${options.shard.member}` : 'vmagent',
        command: binary,
        args: [
          `-httpListenAddr=${LOOPBACK}:${port}`,
          `-promscrape.config=${configFile}`,
          `-remoteWrite.url=${options.remoteWriteUrl}`,
          `-remoteWrite.tmpDataPath=${join(workDir, 'queue')}`,
          ...(options.shard ? [`-promscrape.cluster.membersCount=${options.shard.count}`, `-promscrape.cluster.memberNum=${options.shard.member}`] : []),
        ],
        log: options.log,
        ready: { url: `${url}/health`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
      });
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      process: child,
      async targets() {
        const response = await fetch(`${url}/api/v1/targets?state=active`);
        const body = (await response.json()) as { status: string; data?: { activeTargets: ActiveTarget[] } };
        if (body.status !== 'success' || !body.data) throw new Error(`vmagent /api/v1/targets: ${response.status}`);
        return body.data.activeTargets;
      },
      logs: () => child.logs(),
      stop() {
        stopped ??= child.stop().then(() => rmSync(workDir, { recursive: true, force: true }));
        return stopped;
      },
    };
  });
}
