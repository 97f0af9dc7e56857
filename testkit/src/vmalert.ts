/**
 * A real vmalert (Debian `victoria-metrics`) on 127.0.0.1: evaluates
 * Prometheus rule files against a Prometheus-compatible datasource
 * (VictoriaMetrics), writes recording rules' results and alert states back
 * through remote write, and sends alerts to Alertmanager — the rule half of
 * the scale path. The rule files are checked first (`-dryRun`): a file vmalert
 * rejects fails the start with vmalert's own reason ({@link VmalertRuleError}).
 */
import { LOOPBACK, launchOnPort } from './ports';
import type { LogTarget } from './prefixed-log';
import type { PrometheusAlert, RuleGroup } from './prometheus-api';
import { startProcess, type ManagedProcess } from './process';
import { resolveTool, runTool } from './tools';

export interface VmalertOptions {
  /** Rule files (paths or globs), in Prometheus' format. */
  ruleFiles: readonly string[];
  /** Where queries go: VictoriaMetrics' root URL. */
  datasourceUrl: string;
  /** Where recording rules' results and alert states are written: VictoriaMetrics' root URL. */
  remoteWriteUrl: string;
  /** Alertmanager root URLs, each sent every alert. */
  notifierUrls: readonly string[];
  /** @defaultValue '1m' (vmalert's) */
  evaluationInterval?: string;
  /** Labels added to every alert, as Prometheus adds its `external_labels` to the alerts it sends. */
  externalLabels?: Readonly<Record<string, string>>;
  binary?: string;
  port?: number;
  log?: LogTarget;
  /** @defaultValue 30000 */
  readyTimeoutMs?: number;
}

export interface VmalertInstance {
  readonly url: string;
  readonly port: number;
  readonly process: ManagedProcess;
  /** Pending and firing alerts (`/api/v1/alerts`, Prometheus' shape). */
  alerts(): Promise<PrometheusAlert[]>;
  /** Rule groups and their last evaluation (`/api/v1/rules`). */
  rules(): Promise<RuleGroup[]>;
  logs(): string;
  stop(): Promise<void>;
}

/** vmalert refused a rule file: `reason` is its own message. */
export class VmalertRuleError extends Error {
  constructor(
    readonly ruleFiles: readonly string[],
    readonly reason: string,
  ) {
    super(`vmalert rejects the rules in ${ruleFiles.join(', ')}: ${reason}`);
    this.name = 'VmalertRuleError';
  }
}

/** Checks the rule files as vmalert reads them (`-dryRun`); throws {@link VmalertRuleError} with its reason. */
export async function checkVmalertRules(ruleFiles: readonly string[], binary = resolveTool('vmalert')): Promise<void> {
  const result = await runTool(binary, ['-dryRun', '-loggerLevel=ERROR', ...ruleFiles.map((file) => `-rule=${file}`)]);
  if (result.code === 0) return;
  const output = `${result.stderr}\n${result.stdout}`;
  // The fatal line carries the reason after the source location.
  const fatal = output.split('\n').find((line) => /\bfatal\b/.test(line)) ?? output.trim();
  throw new VmalertRuleError(ruleFiles, fatal.replace(/^.*?\bfatal\s+\S+\s+/, '').trim());
}

/** Checks the rules, starts vmalert and resolves once `/health` answers 200. */
export async function startVmalert(options: VmalertOptions): Promise<VmalertInstance> {
  const binary = options.binary ?? resolveTool('vmalert');
  await checkVmalertRules(options.ruleFiles, binary);
  return launchOnPort(options.port, undefined, async (port) => {
    const url = `http://${LOOPBACK}:${port}`;
    const child = await startProcess({
      name: 'vmalert',
      command: binary,
      args: [
        `-httpListenAddr=${LOOPBACK}:${port}`,
        ...options.ruleFiles.map((file) => `-rule=${file}`),
        `-datasource.url=${options.datasourceUrl}`,
        `-remoteWrite.url=${options.remoteWriteUrl}`,
        // Alert states come back from VictoriaMetrics after a restart, as Prometheus' come from its WAL.
        `-remoteRead.url=${options.datasourceUrl}`,
        ...options.notifierUrls.map((notifier) => `-notifier.url=${notifier}`),
        `-evaluationInterval=${options.evaluationInterval ?? '1m'}`,
        ...Object.entries(options.externalLabels ?? {}).map(([name, value]) => `-external.label=${name}=${value}`),
        // Alerts carry the labels Prometheus would send, no `alertgroup` of vmalert's own: Alertmanager groups,
        // inhibits and deduplicates them the same way, also against the same alert from a Prometheus.
        '-disableAlertgroupLabel',
        // Links in notifications point at this vmalert, not at a host name it guesses.
        `-external.url=${url}`,
      ],
      log: options.log,
      ready: { url: `${url}/health`, timeoutMs: options.readyTimeoutMs ?? 30_000 },
    });
    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${url}${path}`);
      const body = (await response.json()) as { status: string; data?: T; error?: string };
      if (body.status !== 'success') throw new Error(`vmalert ${path}: ${response.status}: ${body.error ?? ''}`);
      return body.data as T;
    };
    return {
      url,
      port,
      process: child,
      // vmalert answers `alerts: null` when none is pending or firing.
      alerts: async () => (await api<{ alerts: PrometheusAlert[] | null }>('/api/v1/alerts')).alerts ?? [],
      rules: async () => (await api<{ groups: RuleGroup[] | null }>('/api/v1/rules')).groups ?? [],
      logs: () => child.logs(),
      stop: async () => void (await child.stop()),
    };
  });
}
