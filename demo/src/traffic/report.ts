import { formatDuration } from '../shared/duration';
import type { Progress } from './options';
import type { TrafficSummary } from './runner';

const ms = (value: number) => `${Math.round(value)}ms`;

/** One line of live numbers. */
export function progressLine(p: Progress): string {
  const errorRate = p.requests === 0 ? 0 : (100 * p.errors) / p.requests;
  return [
    p.elapsedMs > p.durationMs ? `${formatDuration(p.durationMs)}/${formatDuration(p.durationMs)} draining` : `${formatDuration(p.elapsedMs)}/${formatDuration(p.durationMs)}`,
    `users ${p.activeUsers}`,
    `in-flight ${p.inFlight}`,
    `${p.rps} rps`,
    `p95 ${ms(p.p95Ms)}`,
    `requests ${p.requests}`,
    `errors ${p.errors} (${errorRate.toFixed(1)}%)`,
  ].join(' · ');
}

/** Prints progress: rewritten in place on a terminal, a plain line every `plainEverySeconds` otherwise (CI logs, pipes). */
export function progressPrinter(stream: NodeJS.WriteStream, plainEverySeconds = 10): { print(p: Progress): void; done(): void } {
  let ticks = 0;
  return {
    print(p) {
      if (stream.isTTY) stream.write(`\r\x1b[K${progressLine(p)}`);
      else if (++ticks % plainEverySeconds === 0) stream.write(`${progressLine(p)}\n`);
    },
    done() {
      if (stream.isTTY) stream.write('\r\x1b[K');
    },
  };
}

/** The end-of-run table: one row per route and a total, then the status breakdown. */
export function summaryTable(s: TrafficSummary): string {
  const header = ['route', 'requests', 'rps', 'p50', 'p95', 'p99', 'max', 'errors'];
  const seconds = s.durationMs / 1000;
  const rows = Object.entries(s.byRoute).map(([route, r]) => [
    route,
    String(r.requests),
    (r.requests / seconds).toFixed(1),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p95),
    ms(r.latencyMs.p99),
    ms(r.latencyMs.max),
    String(r.errors),
  ]);
  rows.push(['total', String(s.requests), s.rps.toFixed(1), ms(s.latencyMs.p50), ms(s.latencyMs.p95), ms(s.latencyMs.p99), ms(s.latencyMs.max), String(s.errors)]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  const statuses = Object.entries(s.byStatus)
    .map(([status, count]) => `${status} × ${count}`)
    .join(', ');
  return [
    `${s.scenario} (${s.model} model, ${s.users} ${s.model === 'closed' ? 'users' : 'max in flight'}) against ${s.target} for ${formatDuration(s.durationMs)}, stopped by ${s.stoppedBy}, seed ${s.seed}`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    `status: ${statuses || 'none'}`,
    `cache hit ratio: ${s.cacheHitRatio === undefined ? 'n/a' : `${(100 * s.cacheHitRatio).toFixed(1)}%`}${s.dropped ? ` · dropped arrivals: ${s.dropped}` : ''}`,
  ].join('\n');
}
