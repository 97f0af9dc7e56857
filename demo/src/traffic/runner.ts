import { setMaxListeners } from 'node:events';
import { abortableSleep } from './wait';
import { planRequest } from './mix';
import { resolveOptions, type Progress, type ResolvedOptions, type TrafficOptions } from './options';
import { Random } from './random';
import { createSender, type Sender } from './send';
import { TrafficStats, type Percentiles, type RouteSummary } from './stats';

export interface TrafficSummary {
  scenario: string;
  target: string;
  model: 'closed' | 'open';
  users: number;
  seed: number;
  durationMs: number;
  requests: number;
  rps: number;
  errors: number;
  latencyMs: Percentiles;
  /** Per route template (`/chat`, `/embeddings`, `/recommendations`). */
  byRoute: Record<string, RouteSummary>;
  /** Status → count over every route. */
  byStatus: Record<string, number>;
  /** Share of answers served from the service's cache, as it reported them. */
  cacheHitRatio: number | undefined;
  /** Open model only: arrivals not sent because `users` requests were already in flight. */
  dropped: number;
  stoppedBy: 'duration' | 'max-requests' | 'signal';
}

/** How long in-flight requests may finish after the end before they are aborted. */
const DRAIN_MS = 15_000;

/**
 * Runs a scenario against the demo and returns what it saw. Stops by itself at
 * the duration or `maxRequests`, whichever comes first, or when `signal` aborts.
 */
export async function runTraffic(options: TrafficOptions = {}): Promise<TrafficSummary> {
  const resolved = resolveOptions(options);
  const run = new Run(resolved, options);
  return run.execute();
}

class Run {
  private readonly stats = new TrafficStats();
  private readonly random: Random;
  private readonly sender: Sender;
  /** Aborted when no new request may start. */
  private readonly stopping = new AbortController();
  /** Aborted when in-flight requests must give up. */
  private readonly abortInFlight = new AbortController();
  private readonly pause = abortableSleep(this.stopping.signal);
  private startedAt = 0;
  private started = 0;
  private inFlight = 0;
  private dropped = 0;
  private stoppedBy: TrafficSummary['stoppedBy'] = 'duration';

  constructor(
    private readonly options: ResolvedOptions,
    private readonly hooks: Pick<TrafficOptions, 'signal' | 'onProgress'>,
  ) {
    this.random = new Random(options.seed);
    this.sender = createSender(options.target, options.users, options.requestTimeoutMs);
    // Every user and every in-flight request listens on these two on purpose: no leak to warn about.
    setMaxListeners(0, this.stopping.signal, this.abortInFlight.signal);
  }

  async execute(): Promise<TrafficSummary> {
    this.startedAt = performance.now();
    const external = this.hooks.signal;
    const onAbort = () => this.stop('signal');
    if (external?.aborted) this.stop('signal');
    external?.addEventListener('abort', onAbort, { once: true });
    const endTimer = setTimeout(() => this.stop('duration'), this.options.durationMs);
    const progressTimer = setInterval(() => this.reportProgress(), 1000);
    try {
      const work = this.options.rps === undefined ? this.closedModel() : this.openModel(this.options.rps);
      await work;
    } finally {
      clearTimeout(endTimer);
      clearInterval(progressTimer);
      external?.removeEventListener('abort', onAbort);
      this.sender.close();
    }
    return this.summary();
  }

  private stop(reason: TrafficSummary['stoppedBy']): void {
    if (this.stopping.signal.aborted) return;
    this.stoppedBy = reason;
    this.stopping.abort();
    // In-flight requests get DRAIN_MS to finish; a signal from the caller means now.
    const drain = setTimeout(() => this.abortInFlight.abort(), reason === 'signal' ? 0 : DRAIN_MS);
    drain.unref();
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  private activeUsers(): number {
    const progress = Math.min(1, this.elapsed() / this.options.durationMs);
    return Math.max(1, Math.round(this.options.users * this.options.scenario.activeShare(progress, this.options.durationMs)));
  }

  /** Claims the right to send one more request; false once `maxRequests` is reached. */
  private claim(): boolean {
    if (this.stopping.signal.aborted) return false;
    if (this.started >= this.options.maxRequests) {
      this.stop('max-requests');
      return false;
    }
    this.started++;
    return true;
  }

  private async sendOne(): Promise<void> {
    const planned = planRequest(this.random);
    this.inFlight++;
    try {
      const result = await this.sender.send(planned, this.abortInFlight.signal);
      this.stats.record(planned.route, result.status, result.latencyMs, result.cache);
    } finally {
      this.inFlight--;
    }
  }

  /** Each virtual user loops: request, think, request… while its index is below the active count. */
  private async closedModel(): Promise<void> {
    const maxThink = this.options.thinkTimeMs * 5;
    const user = async (index: number) => {
      while (!this.stopping.signal.aborted) {
        if (index >= this.activeUsers()) {
          await this.pause(200);
          continue;
        }
        if (!this.claim()) return;
        await this.sendOne();
        await this.pause(Math.min(maxThink, this.random.exponential(this.options.thinkTimeMs)));
      }
    };
    await Promise.all(Array.from({ length: this.options.users }, (_, index) => user(index)));
  }

  /** Arrivals at a fixed rate whatever the response times; at most `users` in flight, extra arrivals are dropped and counted. */
  private async openModel(peakRps: number): Promise<void> {
    const pending = new Set<Promise<void>>();
    let due = 0;
    let last = this.elapsed();
    while (!this.stopping.signal.aborted) {
      const now = this.elapsed();
      const share = this.options.scenario.activeShare(Math.min(1, now / this.options.durationMs), this.options.durationMs);
      due += ((now - last) / 1000) * peakRps * share;
      last = now;
      while (due >= 1) {
        due -= 1;
        if (this.inFlight >= this.options.users) {
          this.dropped++;
          continue;
        }
        if (!this.claim()) break;
        const request = this.sendOne();
        pending.add(request);
        void request.finally(() => pending.delete(request));
      }
      await this.pause(5);
    }
    await Promise.all(pending);
  }

  private reportProgress(): void {
    const window = this.stats.takeWindow();
    const progress: Progress = {
      elapsedMs: this.elapsed(),
      durationMs: this.options.durationMs,
      activeUsers: this.options.rps === undefined ? this.activeUsers() : this.inFlight,
      inFlight: this.inFlight,
      rps: window.requests,
      p95Ms: window.p95Ms,
      requests: this.stats.requests,
      errors: this.stats.errorCount,
    };
    this.hooks.onProgress?.(progress);
  }

  private summary(): TrafficSummary {
    const durationMs = this.elapsed();
    const byRoute = this.stats.byRoute();
    const byStatus: Record<string, number> = {};
    for (const route of Object.values(byRoute)) for (const [status, count] of Object.entries(route.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + count;
    return {
      scenario: this.options.scenario.name,
      target: this.options.target.origin,
      model: this.options.rps === undefined ? 'closed' : 'open',
      users: this.options.users,
      seed: this.options.seed,
      durationMs,
      requests: this.stats.requests,
      rps: this.stats.requests / (durationMs / 1000),
      errors: this.stats.errorCount,
      latencyMs: this.stats.allLatencies(),
      byRoute,
      byStatus,
      cacheHitRatio: this.stats.cacheHitRatio,
      dropped: this.dropped,
      stoppedBy: this.stoppedBy,
    };
  }
}
