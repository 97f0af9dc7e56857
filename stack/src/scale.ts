/**
 * The scale path of the stack: vmagent scrapes in shards (each member takes
 * about 1/N of the targets), a single-node VictoriaMetrics stores, vmalert
 * evaluates the very rule files Prometheus would and sends to the same
 * Alertmanager(s). It takes the run's Prometheus config (targets, intervals,
 * rule files), so both topologies run one set of jobs and rules.
 */
import { type ConfigObject, LOOPBACK, type LogTarget, startVictoriaMetrics, startVmagent, startVmalert, assertShard, type VictoriaMetricsInstance, type VmagentInstance, type VmalertInstance } from '@modelwatch/testkit';
import { JOBS } from './stack-config';

export interface ScaleOptions {
  /** vmagent members, each scraping its share of the targets. @defaultValue 2 */
  shards?: number;
}

export const DEFAULT_SHARDS = 2;

/** The job that scrapes VictoriaMetrics itself on the scale path (its ingest rate, its series). */
export const VICTORIA_METRICS_JOB = 'victoria-metrics';

export interface ScalePath {
  readonly victoriaMetrics: VictoriaMetricsInstance;
  readonly vmagents: readonly VmagentInstance[];
  readonly vmalert: VmalertInstance;
  stop(): Promise<void>;
}

/** Throws before anything starts when the shard count cannot work (0, negative, fractional). */
export function assertScaleOptions(options: ScaleOptions): void {
  assertShard({ count: options.shards ?? DEFAULT_SHARDS, member: 0 });
}

/**
 * Starts VictoriaMetrics, then vmalert (its rules checked first: a file it
 * rejects fails the start with its reason), then the vmagent shards. `config`
 * is the run's Prometheus config; its `prometheus` job becomes the
 * VictoriaMetrics one. On a failure, what was started is stopped.
 */
export async function startScalePath(config: ConfigObject, alertmanagerUrls: readonly string[], options: ScaleOptions & { log?: LogTarget } = {}): Promise<ScalePath> {
  assertScaleOptions(options);
  const shards = options.shards ?? DEFAULT_SHARDS;
  const parts: { stop(): Promise<void> }[] = [];
  const stop = async () => {
    for (const part of parts.reverse()) await part.stop();
  };
  try {
    const victoriaMetrics = await startVictoriaMetrics({ log: options.log });
    parts.push(victoriaMetrics);
    const global = (config.global ?? {}) as ConfigObject;
    const ruleFiles = Array.isArray(config.rule_files) ? config.rule_files.map(String) : [];
    const vmalert = await startVmalert({
      ruleFiles,
      datasourceUrl: victoriaMetrics.url,
      remoteWriteUrl: victoriaMetrics.url,
      notifierUrls: alertmanagerUrls,
      evaluationInterval: String(global.evaluation_interval ?? '1m'),
      externalLabels: (global.external_labels ?? {}) as Record<string, string>,
      log: options.log,
    });
    parts.push(vmalert);
    const scrapeConfig = { ...config, scrape_configs: scrapeJobs(config, victoriaMetrics.port) };
    const vmagents: VmagentInstance[] = [];
    for (let member = 0; member < shards; member++) {
      const agent = await startVmagent({ scrapeConfig, remoteWriteUrl: victoriaMetrics.writeUrl, shard: { count: shards, member }, log: options.log });
      parts.push(agent);
      vmagents.push(agent);
    }
    let stopped: Promise<void> | undefined;
    return {
      victoriaMetrics,
      vmagents,
      vmalert,
      stop() {
        stopped ??= stop();
        return stopped;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The run's jobs, with VictoriaMetrics scraped where Prometheus scraped itself. */
function scrapeJobs(config: ConfigObject, victoriaMetricsPort: number): ConfigObject[] {
  const jobs = Array.isArray(config.scrape_configs) ? (config.scrape_configs as ConfigObject[]) : [];
  return jobs.map((job) => (job.job_name === JOBS.prometheus ? { ...job, job_name: VICTORIA_METRICS_JOB, static_configs: [{ targets: [`${LOOPBACK}:${victoriaMetricsPort}`] }] } : job));
}
