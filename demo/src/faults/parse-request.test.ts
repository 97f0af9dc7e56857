import { describe, expect, it } from 'vitest';
import { parseFaultRequest, type FaultTargets } from './parse-request';

const targets: FaultTargets = {
  providers: ['openai', 'anthropic'],
  models: ['gpt-4o-mini', 'claude-haiku-4-5', 'text-embedding-3-small'],
  chatModels: ['gpt-4o-mini', 'claude-haiku-4-5'],
  routes: ['/chat', '/embeddings'],
};

describe('parseFaultRequest', () => {
  it('takes a chat model target for a substitution, and the drain rate for a rate-limit drain', () => {
    expect(parseFaultRequest({ kind: 'model_substitution', target: 'gpt-4o-mini' }, targets)).toMatchObject({ target: { model: 'gpt-4o-mini' }, params: { probability: 1 } });
    expect(() => parseFaultRequest({ kind: 'model_substitution' }, targets)).toThrow('model_substitution needs a chat model target, one of gpt-4o-mini, claude-haiku-4-5, got undefined');
    expect(() => parseFaultRequest({ kind: 'model_substitution', target: 'text-embedding-3-small' }, targets)).toThrow(/^model_substitution needs a chat model target/);
    expect(parseFaultRequest({ kind: 'rate_limit_drain', target: 'openai' }, targets).params).toEqual({ tokensPerMinute: 15_000_000 });
    expect(() => parseFaultRequest({ kind: 'rate_limit_drain', tokensPerMinute: 0 }, targets)).toThrow('tokensPerMinute must be a number in [1, 1000000000], got 0');
  });

  it('fills in the duration and the kind’s defaults', () => {
    expect(parseFaultRequest({ kind: 'slow_db' }, targets)).toEqual({ kind: 'slow_db', target: {}, durationSeconds: 60, params: { delayMs: 250 } });
    expect(parseFaultRequest({ kind: 'latency_spike', target: 'openai', durationSeconds: 5 }, targets)).toEqual({
      kind: 'latency_spike',
      target: { provider: 'openai' },
      durationSeconds: 5,
      params: { latencyMs: 4000, probability: 1 },
    });
  });

  it('reads a string target as a route, a provider or a model, by kind', () => {
    expect(parseFaultRequest({ kind: 'http_errors', target: '/chat' }, targets).target).toEqual({ route: '/chat' });
    expect(parseFaultRequest({ kind: 'provider_outage', target: 'anthropic' }, targets).target).toEqual({ provider: 'anthropic' });
    expect(parseFaultRequest({ kind: 'provider_outage', target: 'gpt-4o-mini' }, targets).target).toEqual({ model: 'gpt-4o-mini' });
    expect(parseFaultRequest({ kind: 'rate_limit_storm', model: 'gpt-4o-mini' }, targets).target).toEqual({ model: 'gpt-4o-mini' });
  });

  it.each([
    [{}, 'kind must be one of provider_outage, latency_spike, rate_limit_storm, rate_limit_drain, model_substitution, http_errors, cache_outage, slow_db, memory_leak, cpu_burn, got undefined'],
    [[], 'Body must be a JSON object like {"kind": "provider_outage"}'],
    [{ kind: 'slow_db', durationSeconds: 7200 }, 'durationSeconds must be a number in (0, 3600], got 7200'],
    [{ kind: 'slow_db', durationSeconds: 0 }, 'durationSeconds must be a number in (0, 3600], got 0'],
    [{ kind: 'http_errors' }, 'http_errors needs a route target, one of /chat, /embeddings'],
    [{ kind: 'http_errors', target: '/nope' }, 'route must be one of /chat, /embeddings, got "/nope"'],
    [{ kind: 'provider_outage', target: { provider: 'google' } }, 'provider must be one of openai, anthropic, got "google"'],
    [{ kind: 'provider_outage', target: 'gpt-9' }, 'model must be one of gpt-4o-mini, claude-haiku-4-5, text-embedding-3-small, got "gpt-9"'],
    [{ kind: 'cache_outage', target: 'openai' }, 'cache_outage does not take a target'],
    [{ kind: 'slow_db', model: 'gpt-4o-mini' }, 'slow_db does not take a provider or model target'],
    [{ kind: 'slow_db', cpuPercent: 50 }, 'cpuPercent does not apply to slow_db (it takes delayMs)'],
    [{ kind: 'cpu_burn', cpuPercent: 150 }, 'cpuPercent must be a number in [1, 100], got 150'],
    [{ kind: 'memory_leak', maxMb: 10_000 }, 'maxMb must be a number in [1, 4096], got 10000'],
  ])('refuses %j: %s', (body, message) => {
    expect(() => parseFaultRequest(body, targets)).toThrow(message);
  });
});
