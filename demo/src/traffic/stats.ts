/** Latency percentiles in milliseconds. */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RouteSummary {
  requests: number;
  /** Responses that were not 2xx, plus requests that got no response. */
  errors: number;
  latencyMs: Percentiles;
  /** `200`, `502`…, or `network` / `timeout` / `aborted` for requests without a response. */
  byStatus: Record<string, number>;
}

/** A one-second (or so) slice, for the live progress line. */
export interface WindowStats {
  requests: number;
  errors: number;
  p95Ms: number;
}

/** Nearest-rank percentile of sorted values; 0 for none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? 0 };
}

export function isErrorStatus(status: string): boolean {
  return !/^2\d\d$/.test(status);
}

/**
 * What the generator saw, per route template. Memory is bounded by the run's
 * `maxRequests` (one number per request).
 */
export class TrafficStats {
  private readonly routes = new Map<string, { latencies: number[]; byStatus: Map<string, number> }>();
  private window: number[] = [];
  private windowErrors = 0;
  private total = 0;
  private errors = 0;
  private cacheHits = 0;
  private cacheLookups = 0;

  record(route: string, status: string, latencyMs: number, cache?: string): void {
    let stats = this.routes.get(route);
    if (!stats) this.routes.set(route, (stats = { latencies: [], byStatus: new Map() }));
    stats.latencies.push(latencyMs);
    stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
    this.window.push(latencyMs);
    this.total++;
    if (isErrorStatus(status)) {
      this.errors++;
      this.windowErrors++;
    }
    if (cache === 'hit' || cache === 'miss') {
      this.cacheLookups++;
      if (cache === 'hit') this.cacheHits++;
    }
  }

  get requests(): number {
    return this.total;
  }

  get errorCount(): number {
    return this.errors;
  }

  /** Share of answers the service says came from its cache (`x-cache` header). */
  get cacheHitRatio(): number | undefined {
    return this.cacheLookups === 0 ? undefined : this.cacheHits / this.cacheLookups;
  }

  /** The slice since the previous call. */
  takeWindow(): WindowStats {
    const sorted = this.window.sort((a, b) => a - b);
    const stats = { requests: sorted.length, errors: this.windowErrors, p95Ms: percentile(sorted, 95) };
    this.window = [];
    this.windowErrors = 0;
    return stats;
  }

  byRoute(): Record<string, RouteSummary> {
    const result: Record<string, RouteSummary> = {};
    for (const [route, stats] of [...this.routes].sort(([a], [b]) => a.localeCompare(b))) {
      const byStatus = Object.fromEntries([...stats.byStatus].sort(([a], [b]) => a.localeCompare(b)));
      const errors = Object.entries(byStatus).reduce((sum, [status, count]) => sum + (isErrorStatus(status) ? count : 0), 0);
      result[route] = { requests: stats.latencies.length, errors, latencyMs: percentiles(stats.latencies), byStatus };
    }
    return result;
  }

  allLatencies(): Percentiles {
    return percentiles([...this.routes.values()].flatMap((stats) => stats.latencies));
  }
}
