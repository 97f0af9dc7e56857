import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpec } from './load';
import { serviceObjectives } from './objectives';
import { uncoveredScopes, type SeenSeries } from './coverage';

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
