import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, killWorker, nextMessage } from '../test-support/cluster-workers';
import { parseExposition } from '@modelwatch/testkit';
import { clusterMetrics, type ClusterAggregator } from './index';
import { SNAPSHOT_REQUEST, SNAPSHOT_RESPONSE, WORKER_READY } from './protocol';

/*
 * Real node:cluster workers that speak the snapshot protocol by hand
 * (__fixtures__/hand-written-worker.mjs): one honest, one sending what each
 * test makes it send. Whatever the hostile one sends, the scrape answers, the
 * honest worker's metrics are in it, and the primary (this process) survives.
 * The tests run in order and share the cluster.
 */

const fixture = join(__dirname, '__fixtures__', 'hand-written-worker.mjs');
const TIMEOUT_MS = 500;

interface Family {
  name: string;
  help: string;
  type: string;
  aggregator: string;
  values: unknown;
}

const counter = (name: string, value: number, labels: Record<string, string> = {}): Family => ({ name, help: 'h', type: 'counter', aggregator: 'sum', values: [{ value, labels }] });

let aggregator: ClusterAggregator;
let honest: Worker;
let hostile: Worker;
const warnings: string[] = [];
const onWarning = (warning: Error) => warnings.push(warning.message);

async function fork(): Promise<Worker> {
  const worker = cluster.fork({ READY_TYPE: WORKER_READY, REQUEST_TYPE: SNAPSHOT_REQUEST });
  await nextMessage(worker, (m) => m.fixture === 'listening');
  return worker;
}

/** From now on the worker answers each snapshot request with `metrics` (undefined: it stays silent). */
const answerWith = (worker: Worker, metrics: unknown) => command(worker, { fixture: 'answer', answer: metrics === undefined ? undefined : { type: SNAPSHOT_RESPONSE, metrics } });

async function scrape(): Promise<{ text: string; value(name: string, labels?: Record<string, string>): number | undefined }> {
  const text = await aggregator.metrics();
  const { samples } = parseExposition(text);
  return {
    text,
    value: (name, labels = {}) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value,
  };
}

describe('cluster primary facing a worker that sends what it likes', () => {
  beforeAll(async () => {
    process.on('warning', onWarning);
    cluster.setupPrimary({ exec: fixture, execArgv: [] });
    aggregator = clusterMetrics.primary({ timeoutMs: TIMEOUT_MS });
    [honest, hostile] = await Promise.all([fork(), fork()]);
    await answerWith(honest, [counter('honest_requests_total', 5)]);
  });

  afterAll(async () => {
    process.off('warning', onWarning);
    await aggregator?.close();
    await Promise.all(Object.values(cluster.workers ?? {}).flatMap((worker) => (worker ? [killWorker(worker)] : [])));
  });

  it('leaves out a snapshot with values: null, counting the worker failed, and names the problem once', async () => {
    await answerWith(hostile, [{ ...counter('hostile_total', 1), values: null }]);
    for (let i = 0; i < 2; i++) {
      const result = await scrape();
      expect(result.value('honest_requests_total')).toBe(5);
      expect(result.value('modelwatch_cluster_workers', { state: 'answered' })).toBe(1);
      expect(result.value('modelwatch_cluster_workers', { state: 'failed' })).toBe(1);
    }
    expect(warnings.filter((w) => w.includes(`worker ${hostile.id}`))).toEqual([
      `clusterMetrics: worker ${hostile.id} sent a malformed snapshot answer, left out of the scrape: metrics[0]: (hostile_total) values must be an array, got null`,
    ]);
  });

  it.each([
    ['a family name', { ...counter('x_total', 1), name: 'x_total 1\ninjected_total 1\n# x' }],
    ['a type', { ...counter('x_total', 1), type: 'counter\ninjected_total 1\n# x' }],
    ['an aggregator', { ...counter('x_total', 1), aggregator: 'everything' }],
    ['a sample name', { ...counter('x_total', 1), values: [{ value: 1, labels: {}, metricName: 'x_total 1\ninjected_total' }] }],
    ['a label name', counter('x_total', 1, { 'a="1"} 1\ninjected_total{b': 'x' })],
    ['an exemplar label name', { ...counter('x_total', 1), values: [{ value: 1, labels: {}, exemplar: { labelSet: { 'a"} 1\ninjected_total{b': 'x' }, value: 1, timestamp: 1 } }] }],
  ])('refuses an answer with an invalid name or type in %s: no line of the worker reaches the exposition', async (_, family) => {
    await answerWith(hostile, [family]);
    const result = await scrape();
    expect(result.text).not.toContain('injected');
    expect(result.value('modelwatch_cluster_workers', { state: 'failed' })).toBe(1);
    expect(result.value('honest_requests_total')).toBe(5);
  });

  it("ignores an answer to a request never sent, so the worker's real answers still count once it falls silent", async () => {
    for (const requestId of [1e300, 2 ** 53, 1.5, -1]) {
      await command(hostile, { fixture: 'send', message: { type: SNAPSHOT_RESPONSE, requestId, metrics: [counter('forged_total', 1000)] } });
    }
    await answerWith(hostile, [counter('hostile_total', 7)]);
    expect((await scrape()).value('hostile_total')).toBe(7);
    await answerWith(hostile, undefined);
    const silent = await scrape();
    expect(silent.value('modelwatch_cluster_workers', { state: 'timed_out' })).toBe(1);
    // The last answer it gave to a real request, not the forged one.
    expect(silent.value('hostile_total')).toBe(7);
    expect(silent.value('forged_total')).toBeUndefined();
  });

  it('keeps serving when a worker whose last answer was malformed exits', async () => {
    await answerWith(hostile, [{ ...counter('hostile_total', 9), values: null }]);
    await scrape();
    await killWorker(hostile);
    const after = await scrape();
    expect(after.value('honest_requests_total')).toBe(5);
    // What it counted in its last well-formed answer stays, so the cluster's totals never go down.
    expect(after.value('hostile_total')).toBe(7);
    expect(after.value('modelwatch_cluster_workers', { state: 'answered' })).toBe(1);
    expect(after.value('modelwatch_cluster_workers', { state: 'failed' })).toBe(0);
  });
});
