import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testRules } from '@modelwatch/testkit';
import { cacheHitScore, saturationScore } from './health';
import { promString } from './promql';
import { cacheHitScoreQuery, globMatcher, jobMatchers, objectiveErrorRatio, objectiveEventCount, saturationScoreQuery } from './slo-queries';
import { SATURATION_RECORDING_RULE } from './queries';
import { SLO_KIND, escapeRegex, globToRegex, matchesGlob, type Objective } from './slo';

describe('globs and matchers', () => {
  it('turn `*` into `.*` and escape every other regex character', () => {
    expect(globToRegex('/admin/*')).toBe('/admin/.*');
    expect(globToRegex('gpt-4o.mini(v2)*')).toBe('gpt-4o\\.mini\\(v2\\).*');
    expect(matchesGlob('gpt-4o*', 'gpt-4o-mini')).toBe(true);
    expect(matchesGlob('gpt-4o*', 'xgpt-4o')).toBe(false);
    expect(matchesGlob('a.c', 'abc')).toBe(false);
    // An objective's name is matched literally, its `*` included.
    expect(new RegExp(`^${escapeRegex('/admin/*: availability')}$`).test('/admin/users: availability')).toBe(false);
  });

  it('write label matchers as PromQL string literals', () => {
    expect(globMatcher('http_route', '*')).toEqual([]);
    expect(globMatcher('http_route', '/chat')).toEqual(['http_route="/chat"']);
    expect(globMatcher('gen_ai_request_model', 'gpt-4.1*')).toEqual(['gen_ai_request_model=~"gpt-4\\\\.1.*"']);
    expect(promString('say "hi" \\')).toBe('"say \\"hi\\" \\\\"');
    expect(jobMatchers({ job: 'demo' })).toEqual(['job="demo"']);
    expect(jobMatchers({ allBut: ['demo', 'api'] })).toEqual(['job!~"demo|api"']);
    expect(jobMatchers({ allBut: [] })).toEqual([]);
  });
});

// Each objective's error ratio, evaluated by promtool on synthetic series whose ratios are known.
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-slo-queries-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const http = (method: string, route: string, status: string, le: string) =>
  `http_server_request_duration_seconds_bucket{job="demo",http_request_method="${method}",http_route="${route}",http_response_status_code="${status}",le="${le}"}`;
const httpCount = (method: string, route: string, status: string) => `http_server_request_duration_seconds_count{job="demo",http_request_method="${method}",http_route="${route}",http_response_status_code="${status}"}`;
const model = (name: string, op = 'chat') => `job="demo",gen_ai_provider_name="openai",gen_ai_request_model="${name}",gen_ai_operation_name="${op}"`;

/** Per-minute increments of each counter (ratios over any window are exact). */
const perMinute: Record<string, number> = {
  // POST /chat: 100/min, 10 answered 500, 80 within 10 s, 20 within 0.5 s.
  [httpCount('POST', '/chat', '200')]: 90,
  [httpCount('POST', '/chat', '500')]: 10,
  [http('POST', '/chat', '200', '0.5')]: 20,
  [http('POST', '/chat', '200', '10')]: 70,
  [http('POST', '/chat', '500', '0.5')]: 0,
  [http('POST', '/chat', '500', '10')]: 10,
  // GET /items: 50/min, all 200, 45 within 0.5 s.
  [httpCount('GET', '/items', '200')]: 50,
  [http('GET', '/items', '200', '0.5')]: 45,
  [http('GET', '/items', '200', '10')]: 50,
  // gpt-4o-mini: 40 ok + 10 timeouts; embeddings: 20 ok of which 15 within 0.64 s, 5 rate limited.
  [`gen_ai_client_operation_duration_seconds_count{${model('gpt-4o-mini')},error_type=""}`]: 40,
  [`gen_ai_client_operation_duration_seconds_count{${model('gpt-4o-mini')},error_type="timeout"}`]: 10,
  [`gen_ai_client_operation_duration_seconds_count{${model('text-embedding-3-small', 'embeddings')},error_type=""}`]: 20,
  [`gen_ai_client_operation_duration_seconds_bucket{${model('text-embedding-3-small', 'embeddings')},error_type="",le="0.64"}`]: 15,
  [`gen_ai_client_operation_duration_seconds_count{${model('text-embedding-3-small', 'embeddings')},error_type="rate_limited"}`]: 5,
  [`gen_ai_client_operation_duration_seconds_bucket{${model('text-embedding-3-small', 'embeddings')},error_type="rate_limited",le="0.64"}`]: 5,
  // Streams of gpt-4o-mini: 40, 30 with the first chunk within 2.56 s and 36 at 0.05 s per token or better.
  [`gen_ai_client_operation_time_to_first_chunk_seconds_count{${model('gpt-4o-mini')},error_type=""}`]: 40,
  [`gen_ai_client_operation_time_to_first_chunk_seconds_bucket{${model('gpt-4o-mini')},error_type="",le="2.56"}`]: 30,
  [`modelwatch_gen_ai_time_per_output_token_seconds_count{${model('gpt-4o-mini')}}`]: 40,
  [`modelwatch_gen_ai_time_per_output_token_seconds_bucket{${model('gpt-4o-mini')},le="0.05"}`]: 36,
  // Caches: answers 30 hits, 60 misses, 10 errors; profiles 10 hits, 10 misses.
  ['modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="hit"}']: 30,
  ['modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="miss"}']: 60,
  ['modelwatch_cache_requests_total{job="demo",cache_name="answers",cache_result="error"}']: 10,
  ['modelwatch_cache_requests_total{job="demo",cache_name="profiles",cache_result="hit"}']: 10,
  ['modelwatch_cache_requests_total{job="demo",cache_name="profiles",cache_result="miss"}']: 10,
};

const base = { jobs: { job: 'demo' }, target: 0.99, page: true, scopeText: 'test' } as const;
const chat = { method: 'POST', route: '/chat' };
const objectives: { name: string; objective: Objective; expected: { labels: string; value: number }[] }[] = [
  { name: 'availability over every route', objective: { ...base, name: 'a', kind: SLO_KIND.availability, scope: { over: 'http', exclude: [] } }, expected: [{ labels: '{job="demo"}', value: 10 / 150 }] },
  { name: 'availability of one route', objective: { ...base, name: 'b', kind: SLO_KIND.availability, scope: { over: 'http', include: [chat], exclude: [] } }, expected: [{ labels: '{job="demo"}', value: 0.1 }] },
  {
    name: 'latency of the routes an override did not claim',
    objective: { ...base, name: 'c', kind: SLO_KIND.httpLatency, thresholdSeconds: 0.5, scope: { over: 'http', exclude: [chat] } },
    expected: [{ labels: '{job="demo"}', value: 0.1 }],
  },
  {
    name: 'latency of routes listed twice (by method and by a glob matching every route) counted once',
    objective: { ...base, name: 'd', kind: SLO_KIND.httpLatency, thresholdSeconds: 10, scope: { over: 'http', include: [chat, { route: '/*' }], exclude: [] } },
    // 130 of 150 within 10 s; counting /chat twice would give 40 of 250.
    expected: [{ labels: '{job="demo"}', value: 20 / 150 }],
  },
  {
    name: 'AI success per model',
    objective: { ...base, name: 'e', kind: SLO_KIND.aiSuccess, scope: { over: 'ai', include: { provider: 'openai', model: '*' }, exclude: [] } },
    expected: [
      { labels: '{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",job="demo"}', value: 0.2 },
      { labels: '{gen_ai_provider_name="openai",gen_ai_request_model="text-embedding-3-small",job="demo"}', value: 0.2 },
    ],
  },
  {
    name: 'embedding duration of successful calls only (a fast failure is not a fast answer)',
    objective: { ...base, name: 'f', kind: SLO_KIND.aiDuration, thresholdSeconds: 0.64, scope: { over: 'ai', include: { provider: '*', model: '*', operation: 'embeddings' }, exclude: [] } },
    expected: [{ labels: '{gen_ai_provider_name="openai",gen_ai_request_model="text-embedding-3-small",job="demo"}', value: 0.25 }],
  },
  {
    name: 'time to first chunk of the models an earlier entry did not claim',
    objective: { ...base, name: 'g', kind: SLO_KIND.aiTimeToFirstChunk, thresholdSeconds: 2.56, scope: { over: 'ai', include: { provider: '*', model: '*' }, exclude: [{ provider: 'openai', model: 'text-*' }] } },
    expected: [{ labels: '{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",job="demo"}', value: 0.25 }],
  },
  {
    name: 'time per output token',
    objective: { ...base, name: 'h', kind: SLO_KIND.aiTimePerOutputToken, thresholdSeconds: 0.05, scope: { over: 'ai', include: { provider: 'openai', model: 'gpt-4o-mini' }, exclude: [] } },
    expected: [{ labels: '{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o-mini",job="demo"}', value: 0.1 }],
  },
  {
    name: 'cache success per cache, a cache without errors at 0',
    objective: { ...base, name: 'i', kind: SLO_KIND.cacheSuccess, scope: { over: 'cache', include: '*', exclude: [] } },
    expected: [
      { labels: '{cache_name="answers",job="demo"}', value: 0.1 },
      { labels: '{cache_name="profiles",job="demo"}', value: 0 },
    ],
  },
];

const rounded = (value: number) => Math.round(value * 10_000) / 10_000;

async function promtool(name: string, tests: { expr: string; eval_time?: string; exp_samples: { labels: string; value: number }[] }[], gauges: Record<string, string> = {}, counters = perMinute) {
  const rules = join(dir, `${name}.rules.yml`);
  writeFileSync(rules, JSON.stringify({ groups: [] }));
  const file = join(dir, `${name}.test.yml`);
  const input = [...Object.entries(counters).map(([series, n]) => ({ series, values: `0+${n}x60` })), ...Object.entries(gauges).map(([series, values]) => ({ series, values }))];
  writeFileSync(file, JSON.stringify({ rule_files: [rules], tests: [{ interval: '1m', input_series: input, promql_expr_test: tests.map((t) => ({ eval_time: '45m', ...t })) }] }));
  const result = await testRules([file]);
  expect(result.output).toContain('SUCCESS');
  expect(result.ok, result.output).toBe(true);
}

describe('objectiveErrorRatio', () => {
  it('gives each kind its share of bad events, over exactly what the objective covers', async () => {
    await promtool(
      'error-ratios',
      objectives.map(({ objective, expected }) => ({
        expr: `round(${objectiveErrorRatio(objective, '5m')}, 0.0001)`,
        exp_samples: expected.map((e) => ({ ...e, value: rounded(e.value) })),
      })),
    );
  });

  it('counts each kind\'s events over a window: the error ratio\'s denominator as a count', async () => {
    // Events per minute behind each objective's expected ratios above.
    const eventsPerMinute: Record<string, number[]> = { a: [150], b: [100], c: [50], d: [150], e: [50, 25], f: [20], g: [40], h: [40], i: [100, 20] };
    await promtool(
      'event-counts',
      objectives.map(({ objective, expected }) => ({
        expr: `round(${objectiveEventCount(objective, '10m')}, 0.0001)`,
        exp_samples: expected.map((e, i) => ({ labels: e.labels, value: 10 * eventsPerMinute[objective.name]![i]! })),
      })),
    );
  });

  it('gives the same shares from the GenAI semconv v0.1 names in latest mode (inference and other calls in two histograms)', async () => {
    // The series as an exporter in latest mode writes them: inference durations and first chunks under the v0.1 names.
    const latest = Object.fromEntries(
      Object.entries(perMinute).map(([series, n]) => [
        series
          .replace(/^gen_ai_client_operation_duration_seconds(_\w+\{.*gen_ai_operation_name="chat")/, 'gen_ai_client_inference_duration_seconds$1')
          .replace(/^gen_ai_client_operation_time_to_first_chunk_seconds/, 'gen_ai_client_inference_time_to_first_chunk_seconds'),
        n,
      ]),
    );
    expect(Object.keys(latest).filter((series) => series.startsWith('gen_ai_client_inference_'))).toHaveLength(4);
    const ai = objectives.filter(({ objective }) => objective.scope.over === 'ai');
    await promtool(
      'error-ratios-latest',
      ai.map(({ objective, expected }) => ({
        expr: `round(${objectiveErrorRatio(objective, '5m', 'latest')}, 0.0001)`,
        exp_samples: expected.map((e) => ({ ...e, value: rounded(e.value) })),
      })),
      {},
      latest,
    );
    for (const { objective } of ai) expect(objectiveErrorRatio(objective, '5m', 'latest')).not.toMatch(/gen_ai_client_operation_time_to_first_chunk|gen_ai_client_token_usage|modelwatch_gen_ai_tokens_total/);
  });
});

describe('component scores', () => {
  it('score caches against their expectation or own baseline, and saturation, as the TypeScript maths does', async () => {
    const answers = { jobs: { job: 'demo' }, include: 'answers', exclude: [] };
    const others = { jobs: { job: 'demo' }, include: '*', exclude: ['answers'] };
    await promtool(
      'components',
      [
        // answers hits 30 of 100 lookups against an expected 40%: 0.75 of it.
        { expr: `round(${cacheHitScoreQuery(answers, 0.4)}, 0.0001)`, exp_samples: [{ labels: '{cache_name="answers",component="cache_hit_ratio",job="demo"}', value: rounded(cacheHitScore(0.3, 0.4)) }] },
        // A quiet cache is not judged: profiles has 40 lookups in 2 minutes, fewer than CACHE_HIT_MIN_LOOKUPS.
        { expr: cacheHitScoreQuery(others, undefined, { recent: '2m', baseline: '1d' }), exp_samples: [] },
        // Not judged against its expectation before it has been looked up for a whole recent window (30 min): it is warming up.
        { expr: cacheHitScoreQuery(answers, 0.4), eval_time: '25m', exp_samples: [] },
        // profiles hits as often as over its own baseline.
        { expr: `round(${cacheHitScoreQuery(others)}, 0.0001)`, exp_samples: [{ labels: '{cache_name="profiles",component="cache_hit_ratio",job="demo"}', value: 100 }] },
        { expr: `round(${saturationScoreQuery({ job: 'demo' })}, 0.0001)`, exp_samples: [{ labels: '{component="saturation",job="demo"}', value: rounded(saturationScore(0.93)) }] },
      ],
      { [`${SATURATION_RECORDING_RULE}{job="demo",resource="cpu"}`]: '0.93x60', [`${SATURATION_RECORDING_RULE}{job="demo",resource="memory"}`]: '0.4x60' },
    );
  });
});
