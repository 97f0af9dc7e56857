/**
 * A real single-node VictoriaMetrics on 127.0.0.1 (Debian package
 * `victoria-metrics`): the horizontally scalable store of the `scale` path.
 * Prometheus `remote_write`s to `writeUrl`; PromQL is answered at
 * `/api/v1/query` like Prometheus'. Data lives in a temp dir removed by `stop()`.
 * Its destructive endpoints are closed (see {@link VICTORIA_METRICS_ADMIN_KEY_FLAGS}).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOPBACK, launchOnPort } from './ports';
import type { LogTarget } from './prefixed-log';
import type { VectorSample } from './prometheus-api';
import { startProcess, type ManagedProcess } from './process';
import { resolveTool } from './tools';

/**
 * The flags guarding VictoriaMetrics' destructive endpoints (series deletion,
 * snapshots, forced merges), open to anyone who can reach it when unset.
 * Given one random key nobody is told, those endpoints are refused (401); the
 * docker-compose `scale` profile sets them the same way.
 */
export const VICTORIA_METRICS_ADMIN_KEY_FLAGS = ['-deleteAuthKey', '-snapshotAuthKey', '-forceMergeAuthKey'] as const;

export interface VictoriaMetricsOptions {
  /** @defaultValue `$VICTORIA_METRICS_BIN`, else `victoria-metrics` on the PATH (a missing one throws MissingToolError, naming the install command) */
  binary?: string;
  /** @defaultValue a free port */
  port?: number;
  log?: LogTarget;
  /** @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface VictoriaMetricsInstance {
  /** `http://127.0.0.1:<port>`, also the Prometheus-compatible query root. */
  readonly url: string;
  readonly port: number;
  /** Where Prometheus' `remote_write` sends samples. */
  readonly writeUrl: string;
  readonly process: ManagedProcess;
  /** Instant query (`/api/v1/query`); throws unless the result is a vector. */
  query(expr: string, time?: number): Promise<VectorSample[]>;
  logs(): string;
  stop(): Promise<void>;
}

/** Starts VictoriaMetrics and resolves once `/health` answers 200. */
export async function startVictoriaMetrics(options: VictoriaMetricsOptions = {}): Promise<VictoriaMetricsInstance> {
  const binary = options.binary ?? resolveTool('victoria-metrics');
  return launchOnPort(options.port, undefined, async (port) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'modelwatch-victoria-metrics-'));
    const url = `http://${LOOPBACK}:${port}`;
    const adminKey = randomBytes(16).toString('hex');
    let child: ManagedProcess;
    try {
      child = await startProcess({
        name: 'victoria-metrics',
        command: binary,
        args: [
          `-httpListenAddr=${LOOPBACK}:${port}`,
          `-storageDataPath=${dataDir}`,
          // By default the last 30 s are hidden from queries (to let late samples arrive); tests read fresh data.
          '-search.latencyOffset=1s',
          '-retentionPeriod=1d',
          ...VICTORIA_METRICS_ADMIN_KEY_FLAGS.map((flag) => `${flag}=${adminKey}`),
        ],
        log: options.log,
        ready: { url: `${url}/health`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
      });
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      writeUrl: `${url}/api/v1/write`,
      process: child,
      async query(expr, time) {
        const params = new URLSearchParams(time === undefined ? { query: expr } : { query: expr, time: String(time) });
        const response = await fetch(`${url}/api/v1/query?${params.toString()}`);
        const body = (await response.json()) as { status: string; data?: { resultType: string; result: VectorSample[] }; error?: string; errorType?: string };
        if (body.status !== 'success' || !body.data) throw new Error(`VictoriaMetrics query ${expr}: ${body.errorType ?? response.status}: ${body.error ?? ''}`);
        if (body.data.resultType !== 'vector') throw new Error(`VictoriaMetrics query ${expr}: expected a vector, got ${body.data.resultType}`);
        return body.data.result;
      },
      logs: () => child.logs(),
      stop() {
        stopped ??= child.stop().then(() => rmSync(dataDir, { recursive: true, force: true }));
        return stopped;
      },
    };
  });
}
