import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DASHBOARD_UID,
  GEN_AI_INFERENCE_OPERATIONS,
  GEN_AI_SEMCONV_OPT_IN,
  LABEL,
  LATEST_GEN_AI_METRICS,
  LEGACY_GEN_AI_METRICS,
  METRICS,
  SEMCONV_OPT_IN_ENV,
  promString,
  type SemconvMode,
} from '@modelwatch/conventions';
import { startDemo, type DemoInstance } from '@modelwatch/stack';
import { parseExposition, testRules, type Sample } from '@modelwatch/testkit';
import { buildDashboards } from './dashboards';
import { main } from './generate';
import { generatedFiles } from './generated-files';
import { labelValuesQueries, panelExpressions, substituteVariables } from './inspect';

// The dashboards generated for exporters in latest mode (GenAI semconv v0.1 names).
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-dashboards-semconv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const queriesOf = (mode: SemconvMode) =>
  buildDashboards(mode).flatMap(({ model }) => [...panelExpressions(model).map((e) => ({ where: `${e.dashboard} / ${e.panel} ${e.refId}`, expr: e.expr })), ...labelValuesQueries(model).map((q) => ({ where: `${q.dashboard} / $${q.variable}`, expr: q.match }))]);
const legacy = queriesOf('legacy');
const latest = queriesOf('latest');
/** The queries that read GenAI names, in both modes (the dashboards are the same panels in the same order). */
const changed = legacy.map((query, index) => ({ where: query.where, legacy: query.expr, latest: latest[index]!.expr })).filter((pair) => pair.legacy !== pair.latest);

/** Names latest mode does not write, or (the duration) writes for non-inference calls only. */
const LEGACY_ONLY = [METRICS.genAiTimeToFirstChunk.name, METRICS.genAiTokenUsage.name, METRICS.genAiTokens.name, METRICS.genAiOperationDuration.name];

describe('dashboards for the GenAI semconv v0.1 names (latest mode)', () => {
  it('read no name latest mode leaves out, and the legacy duration only beside the inference one', () => {
    expect(latest.map((query) => query.where)).toEqual(legacy.map((query) => query.where));
    expect(changed.map((pair) => pair.where)).toEqual(
      expect.arrayContaining([
        `${DASHBOARD_UID.serviceHealth} / AI p95 A`,
        `${DASHBOARD_UID.aiModels} / Requests per model A`,
        `${DASHBOARD_UID.aiModels} / Time to first chunk p95 A`,
        `${DASHBOARD_UID.aiModels} / Tokens per second A`,
        `${DASHBOARD_UID.aiModels} / $model`,
      ]),
    );
    for (const { where, expr } of latest) {
      const outsideNameMatchers = expr.replace(/__name__=~"[^"]*"/g, '');
      for (const name of LEGACY_ONLY) expect(outsideNameMatchers, where).not.toContain(name);
    }
    expect(latest.some(({ expr }) => expr.includes(LATEST_GEN_AI_METRICS.usageCacheReadInputTokens.name))).toBe(true);
  });

  it('are the legacy dashboards in both mode, which reads the names written in every mode', () => {
    const json = (mode: SemconvMode) => JSON.stringify(buildDashboards(mode));
    expect(json('both')).toBe(json('legacy'));
  });

  it('answer on what the exporter writes in latest mode exactly what the legacy dashboards answer on the same calls (promtool)', async () => {
    const samples = parseExposition(exposition).samples;
    const input = [...scraped('legacy', samples.filter(writtenInLegacyMode)), ...scraped('latest', samples.filter(writtenInLatestMode))];
    const at = (job: string, expr: string) => substituteVariables(expr, { job, instance: '.*', model: '.*', __rate_interval: '5m', __range: '5m' });
    // Every changed query answers the same label sets (job and instance aside) and the same values, to rounding.
    const tests = changed.map(({ legacy: l, latest: r }) => {
      const [old, now] = [at('legacy', l), at('latest', r)];
      return { expr: `(abs((${old}) - ignoring (job, instance) (${now})) > 1e-9) or ((${old}) unless ignoring (job, instance) (${now})) or ((${now}) unless ignoring (job, instance) (${old}))`, exp_samples: [] };
    });
    // Not by having nothing to say: the panels the demo's calls feed answer in latest mode.
    const answering = ['AI p95 A', 'Requests per model A', 'Duration p50 / p95 / p99 B', 'Time to first chunk p95 A', 'Tokens per second A', 'Cost per request A', '$model'];
    const fed = changed.filter(({ where }) => answering.some((panel) => where.endsWith(` / ${panel}`)));
    expect(fed).toHaveLength(answering.length);
    tests.push(...fed.map(({ latest: r }) => ({ expr: `absent(${at('latest', r)})`, exp_samples: [] })));
    const rules = join(dir, 'none.rules.yml');
    writeFileSync(rules, JSON.stringify({ groups: [] }));
    const file = join(dir, 'dashboards.test.yml');
    writeFileSync(file, JSON.stringify({ rule_files: [rules], tests: [{ interval: '1m', input_series: input, promql_expr_test: tests.map((test) => ({ eval_time: '10m', ...test })) }] }));
    const result = await testRules([file]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });
});

const LATEST_NAMES = new Set(Object.values(LATEST_GEN_AI_METRICS).map((metric) => metric.name));
const familyOf = (sample: Sample) => sample.name.replace(/_(bucket|count|sum)$/, '');
/** What an exporter in legacy mode writes of a `both` exposition: all but the v0.1 families. */
const writtenInLegacyMode = (sample: Sample) => !LATEST_NAMES.has(familyOf(sample));
/**
 * What an exporter in latest mode writes of a `both` exposition (the exporter's own tests check the modes write
 * these): the v0.1 families instead of the legacy ones, the operation duration of non-inference calls only.
 */
function writtenInLatestMode(sample: Sample): boolean {
  const family = familyOf(sample);
  if (family === METRICS.genAiOperationDuration.name) return !GEN_AI_INFERENCE_OPERATIONS.includes(sample.labels[LABEL.genAiOperationName] ?? '');
  return !LEGACY_GEN_AI_METRICS.some((metric) => metric.name === family);
}

/** Samples as a service scraped every minute, growing by their value each minute (so rates are value / 60 s). */
function scraped(job: string, samples: readonly Sample[]) {
  return samples.map((sample) => ({
    series: `${sample.name}{${Object.entries({ ...sample.labels, job, instance: `${job}:9464` }).map(([k, v]) => `${k}=${promString(v)}`).join(',')}}`,
    values: `0+${sample.value}x20`,
  }));
}

/**
 * The demo with its exporter in `both` mode (one set of calls under both sets of names, so the values agree
 * exactly): chats, streamed chats (time to first chunk) and embeddings.
 */
let demo: DemoInstance | undefined;
let exposition = '';
beforeAll(async () => {
  demo = await startDemo({ timeScale: 0.05, env: { [SEMCONV_OPT_IN_ENV]: `${GEN_AI_SEMCONV_OPT_IN}/dup` } });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${demo!.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await response.text();
  };
  for (let i = 0; i < 4; i++) {
    await post('/chat', { prompt: `Which tent fits ${i + 2} people?` });
    await post('/chat', { prompt: `Which stove boils fastest at ${i + 1} km?`, stream: true });
    await post('/embeddings', { texts: [`tent ${i}`] });
  }
  exposition = await (await fetch(demo.metricsUrl)).text();
});
afterAll(() => demo?.stop());

describe('npm run dashboards -- --semconv', () => {
  const quiet = () => undefined;

  it('writes the files of a mode under --out, the app provisioned to query its names; by default the mode OTEL_SEMCONV_STABILITY_OPT_IN asks the exporters for', () => {
    const out = join(dir, 'latest');
    expect(main(['--semconv', 'latest', '--out', out], quiet, quiet)).toBe(0);
    for (const file of generatedFiles('latest')) expect(readFileSync(join(out, file.path), 'utf8')).toBe(file.content);
    expect(readFileSync(join(out, 'provisioning', 'plugins', 'modelwatch.yaml'), 'utf8')).toContain('semconv: latest');
    const before = process.env[SEMCONV_OPT_IN_ENV];
    process.env[SEMCONV_OPT_IN_ENV] = 'gen_ai_latest_experimental/dup';
    try {
      expect(main(['--out', join(dir, 'env')], quiet, quiet)).toBe(0);
    } finally {
      if (before === undefined) delete process.env[SEMCONV_OPT_IN_ENV];
      else process.env[SEMCONV_OPT_IN_ENV] = before;
    }
    expect(readFileSync(join(dir, 'env', 'provisioning', 'plugins', 'modelwatch.yaml'), 'utf8')).toContain('semconv: both');
  });

  it('refuses an unknown mode, and a mode other than legacy for the committed files', () => {
    const errors: string[] = [];
    expect(main(['--semconv', 'newest', '--out', join(dir, 'x')], quiet, (line) => errors.push(line))).toBe(2);
    expect(main(['--semconv', 'latest'], quiet, (line) => errors.push(line))).toBe(2);
    expect(errors).toEqual(['--semconv must be one of legacy, latest, both', "--semconv needs --out <dir>: the repo's own files read the legacy names"]);
  });
});
