import type { Cluster } from 'node:cluster';
import type { Aggregator } from 'prom-client';
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
  return messageType(message) === SNAPSHOT_REQUEST && isRequestId((message as { requestId?: unknown }).requestId);
}

/** Request ids count up from 0, one per scrape; anything else was never sent. */
export function isRequestId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** Prometheus' metric and label name patterns (its data model): a name outside them could end an exposition line and start another. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_TYPES: ReadonlySet<unknown> = new Set<MetricSnapshot['type']>(['counter', 'gauge', 'histogram', 'summary']);
const AGGREGATORS: ReadonlySet<unknown> = new Set<Aggregator>(['sum', 'first', 'min', 'max', 'average', 'omit']);

type Checked = { response: SnapshotResponse; problem?: undefined } | { problem: string };

/**
 * Checks a worker's answer, whole, before the primary keeps any of it: a
 * worker is another process, possibly running other code, and one malformed
 * answer must not break every scrape (nor the primary, when the worker exits),
 * nor write unchecked names into the exposition. Returns the answer, typed, or
 * what is wrong with it.
 */
export function checkSnapshotResponse(message: unknown): Checked {
  if (!isRecord(message) || message.type !== SNAPSHOT_RESPONSE) return { problem: 'not a snapshot response' };
  if (!isRequestId(message.requestId)) return { problem: `requestId must be a non-negative integer, got ${show(message.requestId)}` };
  if (message.metrics === undefined && typeof message.error === 'string') return { response: message as SnapshotResponse };
  if (!Array.isArray(message.metrics)) return { problem: 'metrics must be an array (or error a string)' };
  for (let i = 0; i < message.metrics.length; i++) {
    const problem = familyProblem(message.metrics[i]);
    if (problem !== undefined) return { problem: `metrics[${i}]: ${problem}` };
  }
  return { response: message as SnapshotResponse };
}

function familyProblem(family: unknown): string | undefined {
  if (!isRecord(family)) return `must be an object, got ${show(family)}`;
  if (typeof family.name !== 'string' || !METRIC_NAME.test(family.name)) return `name must match ${METRIC_NAME.source}, got ${show(family.name)}`;
  const at = `(${family.name})`;
  if (typeof family.help !== 'string') return `${at} help must be a string`;
  if (!METRIC_TYPES.has(family.type)) return `${at} type must be one of ${[...METRIC_TYPES].join(', ')}, got ${show(family.type)}`;
  if (!AGGREGATORS.has(family.aggregator)) return `${at} aggregator must be one of ${[...AGGREGATORS].join(', ')}, got ${show(family.aggregator)}`;
  if (!Array.isArray(family.values)) return `${at} values must be an array, got ${show(family.values)}`;
  for (let i = 0; i < family.values.length; i++) {
    const problem = valueProblem(family.values[i]);
    if (problem !== undefined) return `${at} values[${i}]: ${problem}`;
  }
  return undefined;
}

function valueProblem(sample: unknown): string | undefined {
  if (!isRecord(sample)) return `must be an object, got ${show(sample)}`;
  // NaN travels through JSON IPC as null.
  if (typeof sample.value !== 'number' && sample.value !== null) return `value must be a number, got ${show(sample.value)}`;
  if (sample.metricName !== undefined && (typeof sample.metricName !== 'string' || !METRIC_NAME.test(sample.metricName))) {
    return `metricName must match ${METRIC_NAME.source}, got ${show(sample.metricName)}`;
  }
  const labels = labelsProblem(sample.labels, (value) => typeof value === 'string' || typeof value === 'number');
  if (labels !== undefined) return `labels ${labels}`;
  const { exemplar } = sample;
  if (exemplar === undefined || exemplar === null) return undefined;
  if (!isRecord(exemplar) || typeof exemplar.value !== 'number' || typeof exemplar.timestamp !== 'number') return `exemplar must have a numeric value and timestamp, got ${show(exemplar)}`;
  const exemplarLabels = labelsProblem(exemplar.labelSet, (value) => typeof value === 'string');
  return exemplarLabels === undefined ? undefined : `exemplar labelSet ${exemplarLabels}`;
}

function labelsProblem(labels: unknown, validValue: (value: unknown) => boolean): string | undefined {
  if (!isRecord(labels)) return `must be an object, got ${show(labels)}`;
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name)) return `name must match ${LABEL_NAME.source}, got ${show(name)}`;
    if (!validValue(value)) return `${name} has a value of the wrong type: ${show(value)}`;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A bad value for an error message, cut short: it came from another process. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
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
