/**
 * The one-line status `npm start` shows: is the demo up, how much traffic, how
 * fast, how healthy (score and band), what is firing, are the targets scraped,
 * did anyone get paged.
 * Read from the same places a human would look (the demo's /readyz, Prometheus'
 * API — or, on the scale path, VictoriaMetrics, vmalert and the vmagent shards —
 * the sink), with metric names from the conventions module.
 */
import { ALERT, HEALTH_RECORDING_RULE, METRICS, healthBand, type HealthBand } from '@modelwatch/conventions';
import type { Stack } from './stack';
import { JOBS } from './stack-config';
import { probeHttp, type ActiveTarget, type PrometheusAlert } from '@modelwatch/testkit';

export interface StackStatus {
  /** undefined when the stack runs without the demo. */
  demoUp?: boolean;
  trafficRunning?: boolean;
  /** Demo requests per second over the last 30 s (Prometheus). */
  rps?: number;
  /** Demo HTTP p95 over the last 30 s, seconds (Prometheus). */
  p95Seconds?: number;
  targetsUp?: number;
  targetsTotal?: number;
  /** The demo's health score (0–100) and its band, from the recording rules. */
  healthScore?: number;
  healthBand?: HealthBand;
  /** Names of the alerts Prometheus has firing now, each once; the always-firing watchdog is left out. */
  firing?: string[];
  deliveries: number;
  invalidDeliveries: number;
}

const HTTP = METRICS.httpServerRequestDuration.name;
/** Six scrapes at 5 s: enough samples for rate() to be stable on a demo. */
const WINDOW = '30s';
export const STATUS_QUERIES = {
  rps: `sum(rate(${HTTP}_count{job="${JOBS.demo}"}[${WINDOW}]))`,
  p95: `histogram_quantile(0.95, sum by (le) (rate(${HTTP}_bucket{job="${JOBS.demo}"}[${WINDOW}])))`,
  healthScore: `${HEALTH_RECORDING_RULE.score}{job="${JOBS.demo}"}`,
} as const;

/** Samples the stack's status; a part that does not answer leaves its fields undefined. */
export async function readStatus(stack: Stack): Promise<StackStatus> {
  const deliveries = stack.sink.deliveries();
  const status: StackStatus = { deliveries: deliveries.length, invalidDeliveries: deliveries.filter((d) => !d.valid).length };
  const prometheus = statusSource(stack);
  await Promise.all([
    stack.demo && probeHttp(`${stack.demo.url}/readyz`, 1500).then((code) => (status.demoUp = code === 200)),
    prometheus?.queryValue(STATUS_QUERIES.rps).then((v) => (status.rps = v), ignore),
    prometheus?.queryValue(STATUS_QUERIES.p95).then((v) => (status.p95Seconds = v !== undefined && Number.isFinite(v) ? v : undefined), ignore),
    prometheus?.targets().then((targets) => {
      status.targetsTotal = targets.length;
      status.targetsUp = targets.filter((t) => t.health === 'up').length;
    }, ignore),
    prometheus?.alerts().then((alerts) => {
      const names = alerts.filter((a) => a.state === 'firing' && a.labels.alertname !== ALERT.watchdog).map((a) => a.labels.alertname ?? '');
      status.firing = [...new Set(names)].sort();
    }, ignore),
    prometheus?.queryValue(STATUS_QUERIES.healthScore).then((score) => {
      if (score === undefined || !Number.isFinite(score)) return;
      status.healthScore = score;
      status.healthBand = healthBand(score);
    }, ignore),
  ]);
  if (stack.traffic) status.trafficRunning = stack.traffic.running();
  return status;
}

/** e.g. `demo up · traffic on · 12.4 req/s · p95 182 ms · health 97 healthy · nothing firing · targets 3/3 up · 0 deliveries` */
export function formatStatus(status: StackStatus): string {
  const parts: string[] = [];
  if (status.demoUp !== undefined) parts.push(status.demoUp ? 'demo up' : 'demo DOWN');
  if (status.trafficRunning !== undefined) parts.push(status.trafficRunning ? 'traffic on' : 'traffic stopped');
  parts.push(status.rps === undefined ? '– req/s' : `${status.rps.toFixed(1)} req/s`);
  parts.push(status.p95Seconds === undefined ? 'p95 –' : `p95 ${formatSeconds(status.p95Seconds)}`);
  if (status.healthScore !== undefined) parts.push(`health ${Math.floor(status.healthScore)} ${status.healthBand ?? ''}`.trimEnd());
  if (status.firing !== undefined) parts.push(status.firing.length === 0 ? 'nothing firing' : `firing: ${status.firing.join(', ')}`);
  if (status.targetsTotal !== undefined) parts.push(status.targetsTotal === 0 ? 'targets –' : `targets ${status.targetsUp ?? 0}/${status.targetsTotal} up`);
  parts.push(`${status.deliveries} deliveries${status.invalidDeliveries ? ` (${status.invalidDeliveries} INVALID)` : ''}`);
  return parts.join(' · ');
}

/** What the status reads from: Prometheus, or the scale path's parts answering the same questions. */
interface StatusSource {
  queryValue(expr: string): Promise<number | undefined>;
  targets(): Promise<ActiveTarget[]>;
  alerts(): Promise<PrometheusAlert[]>;
}

function statusSource(stack: Stack): StatusSource | undefined {
  if (stack.prometheus) return stack.prometheus;
  if (!stack.scale) return undefined;
  const { victoriaMetrics, vmagents, vmalert } = stack.scale;
  return {
    queryValue: async (expr) => {
      const [sample] = await victoriaMetrics.query(expr);
      return sample === undefined ? undefined : Number(sample.value[1]);
    },
    // Each shard lists only its own share.
    targets: async () => (await Promise.all(vmagents.map((agent) => agent.targets()))).flat(),
    alerts: () => vmalert.alerts(),
  };
}

function formatSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(2)} s`;
}

function ignore(): void {
  // A part that does not answer right now shows as "–"; the next refresh tries again.
}
