import type { Cluster } from 'node:cluster';
import type { MetricSnapshot } from './snapshot';

/**
 * IPC messages between the cluster primary and its workers. The type strings
 * differ from prom-client's (`prom-client:getMetricsReq`), so an app can run
 * both aggregators side by side without either answering the other.
 */
export const SNAPSHOT_REQUEST = 'modelwatch:metrics-snapshot-request';
export const SNAPSHOT_RESPONSE = 'modelwatch:metrics-snapshot-response';
/**
 * Worker → primary: "I answer snapshot requests" (sent when attaching and in
 * reply to DISCOVER), or "I no longer do" (DETACHED). The primary asks only
 * workers that announced themselves, so a worker still starting up, or one
 * that never uses Modelwatch, does not make every scrape wait for the timeout.
 */
export const WORKER_READY = 'modelwatch:metrics-worker-ready';
export const WORKER_DETACHED = 'modelwatch:metrics-worker-detached';
/** Primary → workers, when an aggregator starts after the workers did: "who answers?" */
export const DISCOVER = 'modelwatch:metrics-discover';

export interface SnapshotRequest {
  type: typeof SNAPSHOT_REQUEST;
  requestId: number;
}

export type SnapshotResponse = { type: typeof SNAPSHOT_RESPONSE; requestId: number } & ({ metrics: MetricSnapshot[] } | { error: string });

export type ControlMessage = { type: typeof WORKER_READY | typeof WORKER_DETACHED | typeof DISCOVER };

export function messageType(message: unknown): unknown {
  return typeof message === 'object' && message !== null ? (message as { type?: unknown }).type : undefined;
}

export function isSnapshotRequest(message: unknown): message is SnapshotRequest {
  return messageType(message) === SNAPSHOT_REQUEST && typeof (message as { requestId?: unknown }).requestId === 'number';
}

export function isSnapshotResponse(message: unknown): message is SnapshotResponse {
  if (typeof message !== 'object' || message === null) return false;
  const candidate = message as { type?: unknown; requestId?: unknown; metrics?: unknown; error?: unknown };
  return (
    candidate.type === SNAPSHOT_RESPONSE &&
    typeof candidate.requestId === 'number' &&
    (Array.isArray(candidate.metrics) || typeof candidate.error === 'string')
  );
}

/**
 * node:cluster, loaded on first use rather than when the package is imported:
 * some application servers (Phusion Passenger) crash when `cluster` is merely
 * required, and most users never run cluster mode. `getBuiltinModule` returns
 * the CommonJS export (the Cluster object); its typings describe the ES module
 * namespace, hence the cast.
 */
export function nodeCluster(): Cluster {
  return process.getBuiltinModule('node:cluster') as unknown as Cluster;
}
