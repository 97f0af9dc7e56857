import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testRules } from '@modelwatch/testkit';
import { loadSpec } from './load';
import { serviceObjectives } from './objectives';
import { SEEN_QUERIES, uncoveredScopes, type SeenSeries } from './coverage';

const services = serviceObjectives(loadSpec(join(__dirname, '__fixtures__', 'overrides.yaml')));
const route = (method: string, path: string) => ({ job: 'api', http_request_method: method, http_route: path });
const model = (provider: string, name: string, operation = 'chat') => ({ job: 'api', gen_ai_provider_name: provider, gen_ai_request_model: name, gen_ai_operation_name: operation });

describe('uncoveredScopes', () => {
  const covered: SeenSeries = {
    routes: [route('GET', '/admin/users'), route('POST', '/v1/chat'), route('POST', '/v1/complete')],
    models: [model('anthropic', 'claude-haiku-4-5'), model('openai', 'text-embedding-3-small', 'embeddings')],
    caches: [{ job: 'api', cache_name: 'answers' }],
  };

  it('says nothing when every route, model and cache pattern matches something the service reported', () => {
    expect(uncoveredScopes(services, covered)).toEqual([]);
  });

  it('names each pattern that matches nothing the service reported, and ignores other services', () => {
    const seen: SeenSeries = {
      routes: [route('GET', '/v1/chat'), { ...route('POST', '/v1/complete'), job: 'other' }],
      models: [model('openai', 'gpt-4o')],
      caches: [{ job: 'api', cache_name: 'profiles' }],
    };
    expect(uncoveredScopes(services, seen)).toEqual([
      'service api: route /admin/* matches no route it has reported',
      'service api: route POST /v1/chat matches no route it has reported',
      'service api: route POST /v1/complete matches no route it has reported',
      'service api: models anthropic/claude-* match no model it has called',
      'service api: models openai/text-embedding-* embeddings match no model it has called',
      'service api: cache answers matches no cache it has used',
    ]);
  });

  it('says when Prometheus has nothing of a service at all', () => {
    expect(uncoveredScopes(services, { routes: [], models: [], caches: [] })).toEqual(['service api: Prometheus has no series of it (is the job name right, and is it scraped?)']);
  });
});

describe('SEEN_QUERIES', () => {
  it("list each model once, whichever GenAI names the service's exporter writes (legacy, latest, both), by promtool", async () => {
    const labels = (job: string, operation: string, model: string) => `job="${job}",gen_ai_operation_name="${operation}",gen_ai_provider_name="openai",gen_ai_request_model="${model}",error_type=""`;
    const input = [
      // legacy: every call in the operation durations
      `gen_ai_client_operation_duration_seconds_count{${labels('legacy', 'chat', 'gpt-4o')}}`,
      // latest: inference calls under the v0.1 name, the others under the legacy one
      `gen_ai_client_inference_duration_seconds_count{${labels('latest', 'chat', 'gpt-4o')}}`,
      `gen_ai_client_operation_duration_seconds_count{${labels('latest', 'embeddings', 'text-embedding-3-small')}}`,
      // both: the chat under both names
      `gen_ai_client_operation_duration_seconds_count{${labels('both', 'chat', 'gpt-4o')}}`,
      `gen_ai_client_inference_duration_seconds_count{${labels('both', 'chat', 'gpt-4o')}}`,
    ].map((series) => ({ series, values: '1+1x5' }));
    const seen = (job: string, operation: string, model: string) => ({ labels: `{${labels(job, operation, model).replace(',error_type=""', '')}}`, value: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'modelwatch-coverage-'));
    try {
      const rules = join(dir, 'none.rules.yml');
      writeFileSync(rules, JSON.stringify({ groups: [] }));
      const file = join(dir, 'seen.test.yml');
      const test = { eval_time: '3m', expr: SEEN_QUERIES.models, exp_samples: [seen('legacy', 'chat', 'gpt-4o'), seen('latest', 'chat', 'gpt-4o'), seen('latest', 'embeddings', 'text-embedding-3-small'), seen('both', 'chat', 'gpt-4o')] };
      writeFileSync(file, JSON.stringify({ rule_files: [rules], tests: [{ interval: '1m', input_series: input, promql_expr_test: [test] }] }));
      const result = await testRules([file]);
      expect(result.ok, result.output).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
