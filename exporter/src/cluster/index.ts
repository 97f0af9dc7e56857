import type { Modelwatch } from '../modelwatch';
import { createClusterAggregator, type ClusterAggregator, type ClusterPrimaryOptions } from './primary';
import { snapshotInstruments, type MetricSnapshot } from './snapshot';
import { attachWorker, type ClusterWorker } from './worker';

export type { ClusterAggregator, ClusterPrimaryOptions } from './primary';
export type { ClusterWorker } from './worker';
export type { MetricSnapshot, SnapshotValue, SnapshotExemplar } from './snapshot';

/**
 * node:cluster support: the workers' metrics served as one exposition by the primary.
 *
 * ```ts
 * if (cluster.isPrimary) {
 *   const agg = clusterMetrics.primary();
 *   await agg.startMetricsServer({ port: 9464 });
 *   for (let i = 0; i < 4; i++) cluster.fork();
 * } else {
 *   const mw = createModelwatch();
 *   clusterMetrics.worker(mw);
 *   // …the app, with mw.express() etc.
 * }
 * ```
 */
export const clusterMetrics = {
  /** In the primary: gathers and merges the workers' metrics at each scrape. */
  primary(options?: ClusterPrimaryOptions): ClusterAggregator {
    return createClusterAggregator(options);
  },
  /** In each worker: answers the primary with this Modelwatch's metrics. One per process. */
  worker(mw: Modelwatch): ClusterWorker {
    return attachWorker(mw.instruments);
  },
  /**
   * This process' metrics as prom-client `getMetricsAsJSON()`-shaped objects, for
   * your own transport; `AggregatorRegistry.aggregate()` accepts an array of them.
   */
  snapshot(mw: Modelwatch): Promise<MetricSnapshot[]> {
    return snapshotInstruments(mw.instruments);
  },
} as const;
