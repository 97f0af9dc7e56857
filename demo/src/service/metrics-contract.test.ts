import { LABEL, METRICS, RUNTIME_METRIC, TOKEN_TYPE, type MetricKey } from '@modelwatch/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scrape } from '../test-support/exposition';
import { get, post } from '../test-support/http';
import { startTestService, type TestService } from '../test-support/service';

/**
 * What the demo must show of each metric of the contract under traffic:
 * `moving` metrics grow with one round of requests, `present` ones are exposed,
 * and `zero` ones add up to 0 — exposed at 0 from the first scrape, or not at all —
 * unless something is wrong (or in cluster mode).
 * A metric added to the contract fails this test until it is listed here.
 */
const EXPECTED: Record<MetricKey, 'moving' | 'present' | 'zero'> = {
  httpServerRequestDuration: 'moving',
  httpServerActiveRequests: 'present',
  genAiOperationDuration: 'moving',
  genAiTimeToFirstChunk: 'moving',
  genAiTimePerOutputToken: 'moving',
  genAiTokenUsage: 'moving',
  genAiTokens: 'moving',
  genAiCost: 'moving',
  genAiUnpricedOperations: 'moving',
  genAiAttributedCost: 'moving',
  genAiAttributedTokens: 'moving',
  // Every model answers for itself unless the fake providers are told to substitute.
  genAiModelSubstitutions: 'zero',
  // From the fake providers' rate-limit headers, on every OpenAI and Anthropic response.
  genAiRateLimitRemaining: 'present',
  genAiRateLimitLimit: 'present',
  genAiRateLimitReset: 'present',
  cacheRequests: 'moving',
  cacheOperationDuration: 'moving',
  cacheSavedCost: 'moving',
  dbOperationDuration: 'moving',
  processMemoryLimit: 'present',
  targetInfo: 'present',
  // The kit's own health: no instrumentation error and no series cap reached in a healthy demo; one process, no cluster.
  instrumentationErrors: 'zero',
  droppedSeries: 'zero',
  clusterWorkers: 'zero',
  // Only with the Alertmanager failover webhook on (FAILOVER_WEBHOOK_TOKEN), which this service leaves off.
  failoverActive: 'zero',
  circuitState: 'zero',
};

/** One round of every kind of request, each twice so the caches hit; all for acme but the embeddings, which name no tenant. */
async function round(url: string, n: number): Promise<void> {
  const acme = { 'x-tenant-id': 'acme' };
  for (let i = 0; i < 2; i++) {
    await post(`${url}/chat`, { prompt: `Contract question ${n}`, userId: 'user-010' }, acme);
    await post(`${url}/chat`, { prompt: `Contract premium question ${n}`, tier: 'premium' }, acme);
    await post(`${url}/chat`, { prompt: `Contract stream ${n}`, stream: true }, acme);
    await post(`${url}/chat`, { prompt: `Contract in-house ${n}`, model: 'northwind-support-1' }, acme);
    await post(`${url}/embeddings`, { texts: [`contract text ${n}`] });
    await get(`${url}/recommendations?userId=user-010`, acme);
  }
}

const total = (scrape: Scrape, key: MetricKey) => {
  const metric = METRICS[key];
  return scrape.sum(metric.type === 'histogram' ? `${metric.name}_count` : metric.name);
};

describe('the metric contract on the demo', () => {
  let service: TestService;
  let before: Scrape;
  let after: Scrape;

  beforeAll(async () => {
    service = await startTestService({ memoryLimitMb: 512 });
    await round(service.url, 0);
    before = await service.scrape();
    await round(service.url, 1);
    after = await service.scrape();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('lists an expectation for every metric of the contract', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(METRICS).sort());
  });

  it.each(Object.entries(EXPECTED) as [MetricKey, string][])('%s is %s', (key, expectation) => {
    const name = METRICS[key].name;
    if (expectation === 'zero') expect(total(after, key), `${name} should add up to 0`).toBe(0);
    else expect(after.has(name), `${name} should be exposed`).toBe(true);
    if (expectation === 'moving') expect(total(after, key), `${name} should grow under traffic`).toBeGreaterThan(total(before, key));
  });

  it('attributes AI spend to the tenant header and the route’s feature, all of it', () => {
    const spend = (labels: Record<string, string>) => after.sum(METRICS.genAiAttributedCost.name, labels);
    expect(spend({ tenant: 'acme', feature: 'chat' })).toBeGreaterThan(0);
    expect(spend({ tenant: '_none', feature: 'embeddings' })).toBeGreaterThan(0);
    expect(after.select(METRICS.genAiAttributedCost.name).map((s) => `${s.labels.tenant}/${s.labels.feature}`).sort()).toEqual(
      expect.arrayContaining(['_none/embeddings', 'acme/chat']),
    );
    // Every priced call is attributed somewhere: the attributed total is the total.
    expect(spend({})).toBeCloseTo(after.sum(METRICS.genAiCost.name), 12);
  });

  it('publishes the configured memory limit, so memory alerts have a ratio', () => {
    expect(after.sum(METRICS.processMemoryLimit.name)).toBe(512 * 1024 * 1024);
  });

  it('labels AI calls by provider and model, including both providers', () => {
    const duration = after.select(`${METRICS.genAiOperationDuration.name}_count`);
    const models = new Set(duration.map((sample) => sample.labels[LABEL.genAiRequestModel]));
    expect(models).toContain('text-embedding-3-small');
    expect(models).toContain('northwind-support-1');
    expect(new Set(duration.map((sample) => sample.labels[LABEL.genAiProviderName]))).toEqual(new Set(['openai', 'anthropic']));
    expect(duration.every((sample) => sample.labels[LABEL.errorType] === '')).toBe(true);
  });

  it('counts prompt-cache reads (the long system prompt is cached by both providers)', () => {
    expect(after.sum(METRICS.genAiTokens.name, { [LABEL.genAiTokenType]: TOKEN_TYPE.cacheRead })).toBeGreaterThan(0);
  });

  it('records cache hits and misses of both caches, and the spend hits saved', () => {
    for (const cache of ['answers', 'recommendations']) {
      expect(after.sum(METRICS.cacheRequests.name, { [LABEL.cacheName]: cache, [LABEL.cacheResult]: 'hit' })).toBeGreaterThan(0);
      expect(after.sum(METRICS.cacheRequests.name, { [LABEL.cacheName]: cache, [LABEL.cacheResult]: 'miss' })).toBeGreaterThan(0);
    }
    expect(after.sum(METRICS.cacheSavedCost.name, { [LABEL.cacheName]: 'answers' })).toBeGreaterThan(0);
  });

  it('times SELECT and INSERT on SQLite', () => {
    const db = `${METRICS.dbOperationDuration.name}_count`;
    expect(after.sum(db, { [LABEL.dbSystemName]: 'sqlite', [LABEL.dbOperationName]: 'INSERT' })).toBeGreaterThan(0);
    expect(after.sum(db, { [LABEL.dbSystemName]: 'sqlite', [LABEL.dbOperationName]: 'SELECT' })).toBeGreaterThan(0);
  });

  it('records route templates, never raw paths or user ids', () => {
    const routes = new Set(after.select(`${METRICS.httpServerRequestDuration.name}_count`).map((sample) => sample.labels[LABEL.httpRoute]));
    expect(routes).toEqual(new Set(['/chat', '/embeddings', '/recommendations']));
    expect(JSON.stringify(after.samples)).not.toContain('user-010');
    expect(JSON.stringify(after.samples)).not.toContain('Contract question');
  });

  it('exposes the runtime metrics the health score reads', () => {
    for (const name of Object.values(RUNTIME_METRIC)) expect(after.has(name), name).toBe(true);
  });
});
