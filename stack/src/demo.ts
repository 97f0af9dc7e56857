/**
 * The demo AI service (`node demo/dist/service/main.js`) as a managed child:
 * loopback only, a throw-away data dir, and "started" meaning `/readyz` answers
 * 200 — the same readiness Prometheus and the live tests rely on.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchOnPort, type LogTarget, LOOPBACK, type ManagedProcess, startProcess } from '@modelwatch/testkit';
import { FAILOVER_WEBHOOK } from '@modelwatch/conventions';
import { REPO_PATHS } from './repo';

export interface DemoOptions {
  /** Listen on this port (checked first). @defaultValue a free port */
  port?: number;
  /** Named in the "port in use" error, e.g. `DEMO_PORT`. */
  portEnvVar?: string;
  /** Token of the fault-injection admin API (`ADMIN_TOKEN`). @defaultValue a random one */
  adminToken?: string;
  /** `FAKE_PROVIDER_TIME_SCALE`: 1 = realistic model latencies, 0.1 = ten times faster. @defaultValue the demo's default */
  timeScale?: number;
  /**
   * `MEMORY_LIMIT_MB`: the memory limit the service publishes, small enough that the
   * `memory_leak` fault (512 MiB by default) crosses the memory alerts' thresholds.
   * @defaultValue 512
   */
  memoryLimitMb?: number;
  /** `DATA_DIR` (SQLite file and such). @defaultValue a temp dir removed by `stop()` */
  dataDir?: string;
  /** More environment for the service (e.g. `REDIS_URL`). */
  env?: Readonly<Record<string, string>>;
  /** The service's entry script. @defaultValue demo/dist/service/main.js */
  entry?: string;
  log?: LogTarget;
  /** @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface DemoInstance {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly metricsUrl: string;
  /** `host:port`, as a Prometheus target. */
  readonly target: string;
  readonly adminToken: string;
  readonly dataDir: string;
  readonly process: ManagedProcess;
  logs(): string;
  /** SIGTERM (the service drains in-flight requests), then SIGKILL after 10 s; removes a temp data dir. */
  stop(): Promise<void>;
}

/** An entry script of the demo workspace does not exist: it is not built (or not there yet). */
export class DemoNotBuiltError extends Error {
  constructor(
    readonly entry: string,
    what = 'the demo service',
  ) {
    super(`${what} is not built: ${entry} does not exist — run \`npm run build\` (the demo/ workspace builds it)`);
    this.name = 'DemoNotBuiltError';
  }
}

/** Memory limit of a demo started by the stack (see {@link DemoOptions.memoryLimitMb}). */
export const DEMO_MEMORY_LIMIT_MB = 512;

/** Starts the demo service and resolves once `/readyz` answers 200. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoInstance> {
  const entry = options.entry ?? REPO_PATHS.demoService;
  if (!existsSync(entry)) throw new DemoNotBuiltError(entry);
  const adminToken = options.adminToken ?? randomBytes(12).toString('hex');
  return launchOnPort(options.port, options.portEnvVar, async (port) => {
    const ownsDataDir = options.dataDir === undefined;
    const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'modelwatch-demo-'));
    const url = `http://${LOOPBACK}:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      HOST: LOOPBACK,
      ADMIN_TOKEN: adminToken,
      // The generated local Alertmanager config posts the failover alerts to this run's demo with this token.
      FAILOVER_WEBHOOK_TOKEN: FAILOVER_WEBHOOK.localToken,
      DATA_DIR: dataDir,
      MEMORY_LIMIT_MB: String(options.memoryLimitMb ?? DEMO_MEMORY_LIMIT_MB),
      ...(options.timeScale !== undefined ? { FAKE_PROVIDER_TIME_SCALE: String(options.timeScale) } : {}),
      ...options.env,
    };
    const removeDataDir = () => {
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    };
    let child: ManagedProcess;
    try {
      child = await startProcess({
        name: 'demo',
        command: process.execPath,
        args: [entry],
        env,
        log: options.log,
        ready: { url: `${url}/readyz`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
        stopGraceMs: 10_000,
      });
    } catch (error) {
      removeDataDir();
      throw error;
    }
    let stopped: Promise<void> | undefined;
    return {
      url,
      port,
      metricsUrl: `${url}/metrics`,
      target: `${LOOPBACK}:${port}`,
      adminToken,
      dataDir,
      process: child,
      logs: () => child.logs(),
      stop() {
        stopped ??= child.stop().then(removeDataDir);
        return stopped;
      },
    };
  });
}
