/**
 * `npm run traffic -- … --report out/`: once the run is over, the performance
 * baseline report of its time range (@modelwatch/report), with what the
 * generator saw from the client side beside what Prometheus recorded.
 */
import { PrometheusClient, writeReport, type TrafficRun } from '@modelwatch/report';
import { jobScope, lastScrape } from '@modelwatch/conventions';
import type { TrafficSummary } from './runner';

export interface TrafficReportOptions {
  /** Directory of performance-baseline-report.json and .html. */
  out: string;
  /** The Prometheus that scrapes the demo. */
  prometheus: string;
  /** The demo's job in that Prometheus. */
  job: string;
  /** Wall-clock start and end of the run, unix milliseconds. */
  startedAt: number;
  endedAt: number;
  /** @defaultValue 60000 */
  scrapeTimeoutMs?: number;
}

/** The client-side figures the report keeps, in its units (seconds). */
export function trafficRun(summary: TrafficSummary): TrafficRun {
  return {
    scenario: summary.scenario,
    target: summary.target,
    users: summary.users,
    seed: summary.seed,
    requests: summary.requests,
    errors: summary.errors,
    requestsPerSecond: Number(summary.rps.toPrecision(6)),
    latencySeconds: { p50: summary.latencyMs.p50 / 1000, p95: summary.latencyMs.p95 / 1000, p99: summary.latencyMs.p99 / 1000 },
    byStatus: summary.byStatus,
  };
}

/**
 * Waits until Prometheus has scraped the service after the run ended (so the
 * last requests are in the range), then writes the report from the run's
 * start to that scrape. Returns the files written.
 */
export async function writeTrafficReport(summary: TrafficSummary, options: TrafficReportOptions): Promise<{ json: string; html: string }> {
  const client = new PrometheusClient(options.prometheus);
  const to = await lastScrapeAfter(client, options.job, options.endedAt / 1000, options.scrapeTimeoutMs ?? 60_000);
  const { json, html } = await writeReport({ prometheus: options.prometheus, from: options.startedAt / 1000, to, job: options.job, traffic: trafficRun(summary), out: options.out });
  return { json, html };
}

/** Time of the job's first scrape at or after `after` (unix seconds). */
async function lastScrapeAfter(client: PrometheusClient, job: string, after: number, timeoutMs: number): Promise<number> {
  const query = lastScrape(jobScope(job));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [sample] = await client.query(query, Date.now() / 1000);
    if (sample && sample.value >= after) return sample.value;
    if (Date.now() > deadline) throw new Error(`Prometheus at ${client.url} has not scraped job "${job}" since the run ended (${sample ? `last scrape ${new Date(sample.value * 1000).toISOString()}` : 'no scrape at all'}): is it scraping the demo? (--prometheus, --job)`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
