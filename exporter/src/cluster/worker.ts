import type { Instruments } from '../instruments';
import { DISCOVER, isSnapshotRequest, messageType, nodeCluster, SNAPSHOT_RESPONSE, WORKER_DETACHED, WORKER_READY, type ControlMessage, type SnapshotResponse } from './protocol';
import { snapshotInstruments } from './snapshot';

/** A worker answering the primary's snapshot requests. */
export interface ClusterWorker {
  /** Stops answering (removes the IPC listener). Safe to call more than once. */
  close(): void;
}

/** One responder per process: the primary expects one answer per worker. */
let attached = false;

/** Answers the primary's snapshot requests with this process' metrics. */
export function attachWorker(instruments: Instruments): ClusterWorker {
  if (!nodeCluster().isWorker || typeof process.send !== 'function') {
    throw new Error('clusterMetrics.worker() must run in a node:cluster worker (cluster.isWorker is false here); call clusterMetrics.primary() in the primary');
  }
  if (attached) throw new Error('clusterMetrics.worker() is already answering in this process; close() the first one before attaching another Modelwatch');
  attached = true;
  const onMessage = (message: unknown) => {
    if (messageType(message) === DISCOVER) return send({ type: WORKER_READY });
    if (!isSnapshotRequest(message)) return;
    const { requestId } = message;
    snapshotInstruments(instruments).then(
      (metrics) => send({ type: SNAPSHOT_RESPONSE, requestId, metrics }),
      (error: unknown) => send({ type: SNAPSHOT_RESPONSE, requestId, error: error instanceof Error ? error.message : String(error) }),
    );
  };
  process.on('message', onMessage);
  send({ type: WORKER_READY });
  let closed = false;
  return {
    close() {
      if (closed) return;
      closed = true;
      attached = false;
      process.off('message', onMessage);
      send({ type: WORKER_DETACHED });
    },
  };
}

function send(message: SnapshotResponse | ControlMessage): void {
  if (!process.connected || typeof process.send !== 'function') return;
  try {
    // With a callback, a channel closed in the meantime is reported here instead of as an 'error' event that would crash the worker.
    process.send(message, undefined, undefined, () => undefined);
  } catch {
    // The primary is gone; nobody is waiting for this answer.
  }
}
