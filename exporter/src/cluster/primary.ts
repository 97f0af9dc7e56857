import type { Worker } from 'node:cluster';
import { LABEL, METRICS } from '@modelwatch/conventions';
import type { ExpositionFormat } from '../metrics/format';
import { objectOf, positiveNumber, validateOptions, type Shape } from '../options/schema';
import { createMetricsHandler, METRICS_HANDLER_OPTIONS, type MetricsHandler, type MetricsHandlerOptions } from '../server/metrics-handler';
import { startMetricsServer, type MetricsServer, type MetricsServerOptions } from '../server/metrics-server';
import { formatSnapshots } from './format';
import { mergeSnapshots, monotonicPart } from './merge';
import { checkSnapshotResponse, DISCOVER, isRequestId, messageType, nodeCluster, SNAPSHOT_REQUEST, SNAPSHOT_RESPONSE, WORKER_DETACHED, WORKER_READY, type ControlMessage, type SnapshotRequest } from './protocol';
import type { MetricSnapshot } from './snapshot';

export interface ClusterPrimaryOptions {
  /**
   * How long a scrape waits for the workers' answers. A worker that has not
   * answered by then is left out of that scrape instead of blocking it (see
   * `ClusterAggregator` for what is still reported for it). Keep it below
   * Prometheus' `scrape_timeout`. @defaultValue 5000
   */
  timeoutMs?: number;
  /** Authentication and compression of the metrics endpoint, as for a single process. */
  metricsEndpoint?: MetricsHandlerOptions;
}

/**
 * The cluster's metrics, gathered from the workers at each scrape and merged
 * into one exposition.
 *
 * Counters and histograms never go down, whatever happens to the workers
 * (a decrease would read as a counter reset in Prometheus, and `rate()` would
 * spike by the whole total):
 * - a worker that does not answer in time contributes its last answered
 *   counters and histograms (slightly stale) and none of its gauges;
 * - a worker that exits (crash or restart) keeps contributing the counters and
 *   histograms of its last answer; what it counted after that answer is lost,
 *   as with any process-local exporter.
 * `modelwatch_cluster_workers{state}` shows how many workers answered the scrape.
 *
 * A worker's answer is checked whole before anything of it is kept (shape,
 * Prometheus metric and label names, types, aggregators, a request id this
 * process sent): a malformed one counts the worker as `failed` for that scrape,
 * with one process warning naming the problem, and never reaches the
 * exposition or the totals kept after the worker exits.
 */
export interface ClusterAggregator {
  /** node:http-compatible handler serving the merged metrics (`app.get('/metrics', agg.metricsHandler)`). */
  readonly metricsHandler: MetricsHandler;
  /** The merged exposition as a string. */
  metrics(format?: ExpositionFormat): Promise<string>;
  /** Serves the merged metrics on a port of their own; `close()` stops it too. */
  startMetricsServer(options?: MetricsServerOptions): Promise<MetricsServer>;
  /** Removes the cluster listeners, ends scrapes in progress and closes the servers it started. */
  close(): Promise<void>;
}

const WORKER_STATES = METRICS.clusterWorkers.closedLabels[LABEL.clusterWorkerState];
type WorkerState = (typeof WORKER_STATES)[number];
const DEFAULT_TIMEOUT_MS = 5000;

const CLUSTER_PRIMARY_OPTIONS: Shape<ClusterPrimaryOptions> = { timeoutMs: positiveNumber, metricsEndpoint: objectOf(METRICS_HANDLER_OPTIONS) };

/** Shared by every aggregator of the process, so two aggregators never take each other's answers. */
let nextRequestId = 0;

interface Round {
  readonly requestId: number;
  /** Workers asked and not yet answered. */
  readonly waiting: Set<number>;
  readonly states: Map<number, WorkerState>;
  readonly answers: Map<number, MetricSnapshot[]>;
  finish(): void;
}

interface LastAnswer {
  readonly requestId: number;
  readonly metrics: MetricSnapshot[];
}

export function createClusterAggregator(options: ClusterPrimaryOptions = {}): ClusterAggregator {
  const cluster = nodeCluster();
  if (!cluster.isPrimary) {
    throw new Error('clusterMetrics.primary() must run in the node:cluster primary (cluster.isPrimary is false here); call clusterMetrics.worker(mw) in the workers');
  }
  validateOptions('clusterMetrics.primary', CLUSTER_PRIMARY_OPTIONS, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const rounds = new Map<number, Round>();
  /** Workers that announced they answer snapshot requests. */
  const participants = new Set<number>();
  /** Each live worker's newest answer. */
  const lastAnswers = new Map<number, LastAnswer>();
  /** Counters and histograms of workers that exited, merged into one. */
  let retired: MetricSnapshot[] = [];
  const servers = new Set<MetricsServer>();
  let closed = false;

  const onMessage = (worker: Worker, message: unknown) => {
    const type = messageType(message);
    if (type === WORKER_READY) participants.add(worker.id);
    else if (type === WORKER_DETACHED) participants.delete(worker.id);
    if (type !== SNAPSHOT_RESPONSE) return;
    const requestId = (message as { requestId?: unknown }).requestId;
    // Only ids this process sent: an answer "to" a later scrape would stay the worker's newest for good.
    const sent = isRequestId(requestId) && requestId < nextRequestId;
    const round = sent ? rounds.get(requestId) : undefined;
    const checked = sent ? checkSnapshotResponse(message) : { problem: `requestId ${String(requestId)} was never sent` };
    if (checked.problem !== undefined) {
      // Nothing of a malformed answer is kept: the worker counts as failed for this scrape.
      warnOnce(worker, checked.problem);
      if (round?.waiting.delete(worker.id)) round.states.set(worker.id, 'failed');
    } else if ('metrics' in checked.response) {
      const { metrics } = checked.response;
      const last = lastAnswers.get(worker.id);
      // A late answer to an earlier scrape still refreshes what is reported for the worker if it stops answering.
      if (last === undefined || last.requestId < checked.response.requestId) lastAnswers.set(worker.id, { requestId: checked.response.requestId, metrics });
      if (round?.waiting.delete(worker.id)) {
        round.states.set(worker.id, 'answered');
        round.answers.set(worker.id, metrics);
      }
    } else if (round?.waiting.delete(worker.id)) {
      round.states.set(worker.id, 'failed');
    }
    if (round && round.waiting.size === 0) round.finish();
  };

  /** One warning per worker: a worker that keeps sending bad answers would otherwise fill the log at every scrape. */
  const warned = new Set<number>();
  const warnOnce = (worker: Worker, problem: string) => {
    if (warned.has(worker.id)) return;
    warned.add(worker.id);
    process.emitWarning(`clusterMetrics: worker ${worker.id} sent a malformed snapshot answer, left out of the scrape: ${problem}`, 'ModelwatchClusterWarning');
  };

  const onExit = (worker: Worker) => {
    participants.delete(worker.id);
    warned.delete(worker.id);
    const last = lastAnswers.get(worker.id);
    if (last !== undefined) {
      lastAnswers.delete(worker.id);
      try {
        retired = mergeSnapshots([retired, monotonicPart(last.metrics)]);
      } catch (error) {
        // This runs in a cluster 'exit' listener: a throw would take down the primary, and every worker with it.
        process.emitWarning(`clusterMetrics: the counters of exited worker ${worker.id} could not be kept: ${String(error)}`, 'ModelwatchClusterWarning');
      }
    }
    for (const round of rounds.values()) {
      // Its counts are in `retired` now; keeping this round's answer too would count them twice.
      round.answers.delete(worker.id);
      if (round.waiting.delete(worker.id)) round.states.set(worker.id, 'failed');
      if (round.waiting.size === 0) round.finish();
    }
  };

  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  // Workers that attached before this aggregator existed announce themselves again.
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (worker?.isConnected()) sendQuietly(worker, { type: DISCOVER });
  }

  /** Asks every connected worker and resolves when all answered, failed or exited, or at the timeout. */
  const gather = (): Promise<Round> =>
    new Promise((resolve) => {
      const requestId = nextRequestId++;
      const workers = Object.values(cluster.workers ?? {}).filter(
        (worker): worker is Worker => worker !== undefined && participants.has(worker.id) && worker.isConnected(),
      );
      const round: Round = {
        requestId,
        waiting: new Set(workers.map((worker) => worker.id)),
        states: new Map(),
        answers: new Map(),
        finish() {
          if (!rounds.delete(requestId)) return;
          clearTimeout(timer);
          // Whoever is still being waited for is left out of this scrape rather than holding it up.
          for (const id of round.waiting) round.states.set(id, 'timed_out');
          round.waiting.clear();
          resolve(round);
        },
      };
      const timer = setTimeout(() => round.finish(), timeoutMs);
      timer.unref();
      rounds.set(requestId, round);
      const request: SnapshotRequest = { type: SNAPSHOT_REQUEST, requestId };
      for (const worker of workers) {
        sendQuietly(worker, request, () => {
          if (round.waiting.delete(worker.id)) round.states.set(worker.id, 'failed');
          if (round.waiting.size === 0) round.finish();
        });
      }
      if (round.waiting.size === 0) round.finish();
    });

  const merged = async (): Promise<MetricSnapshot[]> => {
    if (closed) throw new Error('clusterMetrics: the aggregator is closed');
    const round = await gather();
    const parts: MetricSnapshot[][] = [retired];
    for (const metrics of round.answers.values()) parts.push(metrics);
    for (const [id, last] of lastAnswers) {
      if (!round.answers.has(id)) parts.push(monotonicPart(last.metrics));
    }
    const out = mergeSnapshots(parts);
    out.push(workersFamily(round));
    return out;
  };

  async function* chunks(format: ExpositionFormat): AsyncGenerator<string> {
    yield* formatSnapshots(await merged(), format);
  }

  const metricsHandler = createMetricsHandler(chunks, options.metricsEndpoint);
  return {
    metricsHandler,
    async metrics(format: ExpositionFormat = 'text') {
      let out = '';
      for await (const chunk of chunks(format)) out += chunk;
      return out;
    },
    async startMetricsServer(serverOptions?: MetricsServerOptions) {
      if (closed) throw new Error('clusterMetrics: the aggregator is closed');
      const server = await startMetricsServer(metricsHandler, serverOptions);
      servers.add(server);
      return {
        server: server.server,
        url: server.url,
        close: () => {
          servers.delete(server);
          return server.close();
        },
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
      for (const round of [...rounds.values()]) round.finish();
      await Promise.all([...servers].map((server) => server.close()));
      servers.clear();
    },
  };
}

/** Sends over IPC; a closed channel calls `onError` instead of emitting an 'error' event on the worker. */
function sendQuietly(worker: Worker, message: SnapshotRequest | ControlMessage, onError: () => void = () => undefined): void {
  try {
    worker.send(message, undefined, undefined, (error) => {
      if (error) onError();
    });
  } catch {
    onError();
  }
}

function workersFamily(round: Round): MetricSnapshot {
  const counts = new Map<WorkerState, number>(WORKER_STATES.map((state) => [state, 0]));
  for (const state of round.states.values()) counts.set(state, (counts.get(state) ?? 0) + 1);
  return {
    name: METRICS.clusterWorkers.name,
    help: METRICS.clusterWorkers.help,
    type: METRICS.clusterWorkers.type,
    aggregator: 'sum',
    values: WORKER_STATES.map((state) => ({ value: counts.get(state) ?? 0, labels: { [LABEL.clusterWorkerState]: state } })),
  };
}
