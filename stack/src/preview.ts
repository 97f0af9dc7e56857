/**
 * The app plugin's preview harness (plugin/preview/server/cli.ts) as a managed
 * child: the plugin's pages outside Grafana, answering Grafana's query and
 * alerting routes from this stack's Prometheus and Alertmanager. "Started"
 * means its `/api/health` answers 200.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchOnPort, type LogTarget, LOOPBACK, type ManagedProcess, startProcess } from '@modelwatch/testkit';
import { REPO_ROOT } from './repo';

/** The harness server and the host-page bundle it serves (built by the plugin workspace). */
export const PREVIEW_PATHS = {
  cli: join(REPO_ROOT, 'plugin', 'preview', 'server', 'cli.ts'),
  bundle: join(REPO_ROOT, 'plugin', 'dist-preview', 'preview.js'),
} as const;

/** Where the app's Overview is, under the harness URL. */
export const PREVIEW_APP_PATH = '/a/modelwatch-health-app/overview';

export interface PreviewOptions {
  prometheusUrl: string;
  alertmanagerUrl?: string;
  /** @defaultValue a free port */
  port?: number;
  /** Named in the "port in use" error, e.g. `PREVIEW_PORT`. */
  portEnvVar?: string;
  log?: LogTarget;
  /** @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface PreviewInstance {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The Overview page. */
  readonly appUrl: string;
  readonly port: number;
  readonly process: ManagedProcess;
  logs(): string;
  stop(): Promise<void>;
}

/** The preview bundle is missing: the plugin is not built. */
export class PreviewNotBuiltError extends Error {
  constructor(readonly bundle: string) {
    super(`the app preview is not built: ${bundle} does not exist — run \`npm run build -w @modelwatch/plugin\``);
    this.name = 'PreviewNotBuiltError';
  }
}

export async function startPreview(options: PreviewOptions): Promise<PreviewInstance> {
  if (!existsSync(PREVIEW_PATHS.bundle)) throw new PreviewNotBuiltError(PREVIEW_PATHS.bundle);
  return launchOnPort(options.port, options.portEnvVar, async (port) => {
    const url = `http://${LOOPBACK}:${port}`;
    const args = ['--import', 'tsx', PREVIEW_PATHS.cli, '--port', String(port), '--prometheus', options.prometheusUrl];
    if (options.alertmanagerUrl) args.push('--alertmanager', options.alertmanagerUrl);
    const child = await startProcess({
      name: 'preview',
      command: process.execPath,
      args,
      // tsx resolves from the repo root, where the workspace installs it.
      cwd: REPO_ROOT,
      log: options.log,
      ready: { url: `${url}/api/health`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
    });
    return {
      url,
      appUrl: `${url}${PREVIEW_APP_PATH}`,
      port,
      process: child,
      logs: () => child.logs(),
      stop: async () => {
        await child.stop();
      },
    };
  });
}
