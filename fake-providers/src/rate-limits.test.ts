import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelCatalog } from './models';
import { formatAnthropicReset, formatOpenAiDuration, RateLimiter } from './rate-limits';
import { startRig, thrown, type TestRig } from './test-support/clients';

const START = Date.parse('2026-01-01T00:00:00Z');
let clock = START;
const now = () => clock;

describe('formats of the reset times', () => {
  it.each([
    [0, '0s'],
    [20, '20ms'],
    [999.6, '1s'],
    [1000, '1s'],
    [1500, '1.5s'],
    [17_280, '17.28s'],
    [360_000, '6m0s'],
    [3_723_500, '1h2m3.5s'],
    [3_600_000, '1h0m0s'],
  ])('OpenAI writes %d ms as %s (Go durations)', (ms, text) => {
    expect(formatOpenAiDuration(ms)).toBe(text);
  });

  it('Anthropic writes an RFC 3339 time in UTC, rounded up to the second', () => {
    expect(formatAnthropicReset(START, 0)).toBe('2026-01-01T00:00:00Z');
    expect(formatAnthropicReset(START, 1)).toBe('2026-01-01T00:00:01Z');
    expect(formatAnthropicReset(START, 90_000)).toBe('2026-01-01T00:01:30Z');
  });
});

describe('RateLimiter', () => {
  const catalog = new ModelCatalog();
  beforeEach(() => {
    clock = START;
  });

  it('takes a request and its tokens, refills continuously at limit per minute, never beyond the limit', () => {
    const limiter = new RateLimiter(catalog, [{ provider: 'openai', model: 'gpt-4o-mini', requestsPerMinute: 60, tokensPerMinute: 6000 }], now);
    expect(limiter.take('openai', 'gpt-4o-mini', { input: 900, output: 100 })).toEqual({
      ok: true,
      state: [
        { type: 'requests', limit: 60, remaining: 59, resetMs: 1000 },
        { type: 'tokens', limit: 6000, remaining: 5000, resetMs: 10_000 },
      ],
    });
    clock += 5000;
    expect(limiter.peek('openai', 'gpt-4o-mini')).toEqual([
      { type: 'requests', limit: 60, remaining: 60, resetMs: 0 },
      { type: 'tokens', limit: 6000, remaining: 5500, resetMs: 5000 },
    ]);
    // A snapshot name shares its model's budget.
    expect(limiter.take('openai', 'gpt-4o-mini-2024-07-18', { input: 500, output: 0 })?.state[1]).toMatchObject({ remaining: 5000 });
  });

  it('refuses a request that does not fit, takes nothing, and says when it would fit', () => {
    const limiter = new RateLimiter(catalog, [{ provider: 'anthropic', model: 'claude-haiku-4-5', requestsPerMinute: 10, inputTokensPerMinute: 1200, outputTokensPerMinute: 600 }], now);
    expect(limiter.take('anthropic', 'claude-haiku-4-5', { input: 1000, output: 100 })?.ok).toBe(true);
    const refused = limiter.take('anthropic', 'claude-haiku-4-5', { input: 500, output: 100 });
    expect(refused).toMatchObject({ ok: false, requested: 500, exhausted: { type: 'input_tokens', limit: 1200, remaining: 200 }, retryAfterSeconds: 15 });
    expect(limiter.peek('anthropic', 'claude-haiku-4-5')).toEqual([
      { type: 'requests', limit: 10, remaining: 9, resetMs: 6000 },
      { type: 'input_tokens', limit: 1200, remaining: 200, resetMs: 50_000 },
      { type: 'output_tokens', limit: 600, remaining: 500, resetMs: 10_000 },
    ]);
  });

  it('takes a model setting first, then a provider-wide one, then the model defaults, then the provider defaults', () => {
    const defaults = new RateLimiter(catalog, [], now);
    expect(defaults.peek('openai', 'gpt-4o')?.map((limit) => limit.limit)).toEqual([10_000, 2_000_000]);
    expect(defaults.peek('anthropic', 'some-unknown-model')?.map((limit) => limit.limit)).toEqual([4000, 2_000_000, 400_000]);
    const limiter = new RateLimiter(catalog, [{ provider: 'openai', requestsPerMinute: 30, tokensPerMinute: 3000 }, { provider: 'openai', model: 'gpt-4o', requestsPerMinute: 5 }], now);
    expect(limiter.peek('openai', 'gpt-4o')?.map((limit) => limit.limit)).toEqual([5, 3000]);
    expect(limiter.peek('openai', 'some-unknown-model')).toEqual([
      { type: 'requests', limit: 30, remaining: 30, resetMs: 0 },
      { type: 'tokens', limit: 3000, remaining: 3000, resetMs: 0 },
    ]);
  });

  it('refuses bad settings with a TypeError naming the field', () => {
    expect(() => new RateLimiter(catalog, [{ provider: 'openai', requestsPerMinute: 0 }], now)).toThrow('requestsPerMinute must be a number > 0, got 0');
    expect(() => new RateLimiter(catalog, [{ provider: 'gemini' as 'openai' }], now)).toThrow("provider must be 'openai' or 'anthropic'");
  });
});

describe('rate-limit headers and 429s through the real SDKs', () => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await startRig({
      now,
      rateLimits: [
        { provider: 'openai', model: 'gpt-4o-mini', requestsPerMinute: 3, tokensPerMinute: 1000 },
        { provider: 'anthropic', model: 'claude-haiku-4-5', requestsPerMinute: 50, inputTokensPerMinute: 30_000, outputTokensPerMinute: 8000 },
      ],
    });
  });
  beforeEach(() => {
    clock = START;
    rig.providers.reset();
  });
  afterAll(() => rig.providers.close());

  const messages = [{ role: 'user' as const, content: 'Hello' }];
  const usageHeader = (usage: object) => ({ headers: { 'x-fake-usage': JSON.stringify(usage) } });
  const chat = (usage: object) => rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, usageHeader(usage)).withResponse();

  it('OpenAI: every response states the budget after it, the reset as a duration; the budget exhausted answers 429 with retry-after', async () => {
    const first = await chat({ prompt_tokens: 100, completion_tokens: 50 });
    expect(Object.fromEntries([...first.response.headers].filter(([name]) => name.startsWith('x-ratelimit-')))).toEqual({
      'x-ratelimit-limit-requests': '3',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-requests': '2',
      'x-ratelimit-remaining-tokens': '850',
      'x-ratelimit-reset-requests': '20s',
      'x-ratelimit-reset-tokens': '9s',
    });
    await chat({ prompt_tokens: 100, completion_tokens: 50 });
    const error = (await thrown(() => chat({ prompt_tokens: 650, completion_tokens: 100 }))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.type).toBe('tokens');
    expect(error.message).toContain('on tokens per min (TPM): Limit 1000, Used 300, Requested 750. Please try again in 3s.');
    // Refused whole: nothing taken.
    expect(error.headers.get('x-ratelimit-remaining-tokens')).toBe('700');
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect(error.headers.get('retry-after')).toBe('3');
    expect(rig.providers.requests.map((request) => request.status)).toEqual([200, 200, 429]);
  });

  it('OpenAI: requests run out before tokens; time refills them', async () => {
    for (let i = 0; i < 3; i++) await chat({ prompt_tokens: 10, completion_tokens: 10 });
    const error = (await thrown(() => chat({ prompt_tokens: 10, completion_tokens: 10 }))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.type).toBe('requests');
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
    expect(error.headers.get('retry-after')).toBe('20');
    clock += 20_000;
    const { response } = await chat({ prompt_tokens: 10, completion_tokens: 10 });
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(response.headers.get('x-ratelimit-reset-requests')).toBe('1m0s');
  });

  it('Anthropic: requests, input, output and the more restrictive token limit, resets as RFC 3339 times', async () => {
    const { response } = await rig.anthropic.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 64, messages }, usageHeader({ input_tokens: 3000, cache_read_input_tokens: 5000, cache_creation_input_tokens: 1000, output_tokens: 2000 }))
      .withResponse();
    expect(Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('anthropic-ratelimit-')))).toEqual({
      'anthropic-ratelimit-requests-limit': '50',
      'anthropic-ratelimit-requests-remaining': '49',
      'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:02Z',
      // Cache reads are not counted; cache writes are.
      'anthropic-ratelimit-input-tokens-limit': '30000',
      'anthropic-ratelimit-input-tokens-remaining': '26000',
      'anthropic-ratelimit-input-tokens-reset': '2026-01-01T00:00:08Z',
      'anthropic-ratelimit-output-tokens-limit': '8000',
      'anthropic-ratelimit-output-tokens-remaining': '6000',
      'anthropic-ratelimit-output-tokens-reset': '2026-01-01T00:00:15Z',
      'anthropic-ratelimit-tokens-limit': '8000',
      'anthropic-ratelimit-tokens-remaining': '6000',
      'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:15Z',
    });
  });

  it('a rate_limit_drain fault runs a budget down at its pace, and the exhausted budget answers 429', async () => {
    const drain = rig.providers.faults.inject({ kind: 'rate_limit_drain', provider: 'anthropic', model: 'claude-haiku-4-5', outputTokensPerMinute: 20_000 });
    // Net 12 000 output tokens a minute: 6 000 gone after 30 s.
    clock += 30_000;
    const call = () => rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages }, usageHeader({ input_tokens: 10, output_tokens: 100 })).withResponse();
    const { response } = await call();
    expect(response.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe('1900');
    clock += 10_000;
    const error = (await thrown(call)) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.message).toContain('of 8,000 output tokens per minute');
    expect(error.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe('0');
    expect(error.headers.get('retry-after')).toBe('1');
    drain.clear();
    clock += 60_000;
    expect((await call()).response.headers.get('anthropic-ratelimit-output-tokens-remaining')).toBe('7900');
  });

  it('the Responses and Embeddings APIs take from their model budgets too', async () => {
    const { response } = await rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello' }, usageHeader({ input_tokens: 40, output_tokens: 60 })).withResponse();
    expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('900');
    const embedded = await rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'Hello' }, usageHeader({ prompt_tokens: 25 })).withResponse();
    expect(embedded.response.headers.get('x-ratelimit-limit-tokens')).toBe('5000000');
    expect(embedded.response.headers.get('x-ratelimit-remaining-tokens')).toBe('4999975');
  });

  it('a drain posted to the control API over HTTP runs the budget down like one injected in process', async () => {
    const token = 'rate-limit-test-token-0123456789';
    const controlled = await startRig({ now, controlToken: token, rateLimits: [{ provider: 'openai', model: 'gpt-4o', requestsPerMinute: 100, tokensPerMinute: 6000 }] });
    try {
      const posted = await fetch(`${controlled.providers.url}/_fake/faults`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'rate_limit_drain', provider: 'openai', model: 'gpt-4o', requestsPerMinute: 40, outputTokensPerMinute: 9000, durationMs: 60_000 }),
      });
      expect(posted.status).toBe(201);
      clock += 30_000;
      const { response } = await controlled.openai.chat.completions.create({ model: 'gpt-4o', messages }, usageHeader({ prompt_tokens: 10, completion_tokens: 10 })).withResponse();
      // Tokens: 6 000 + (6 000 − 9 000) / 2 = 4 500, less the request's 20. Requests: refilled faster than drained, full, less 1.
      expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('4480');
      expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    } finally {
      await controlled.providers.close();
    }
  });

  it('an injected rate_limit fault reports the request budget spent until retry-after', async () => {
    rig.providers.faults.inject({ kind: 'rate_limit', provider: 'openai', retryAfterSeconds: 7 });
    const error = (await thrown(() => chat({ prompt_tokens: 10, completion_tokens: 10 }))) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(error.headers.get('x-ratelimit-reset-requests')).toBe('7s');
    expect(error.headers.get('x-ratelimit-remaining-tokens')).toBe('1000');
  });
});

describe('model substitution', () => {
  let rig: TestRig;
  beforeAll(async () => {
    rig = await startRig();
  });
  afterAll(() => rig.providers.close());
  const messages = [{ role: 'user' as const, content: 'Hello' }];

  it('x-fake-served-model answers with another model, named in the response', async () => {
    const completion = await rig.openai.chat.completions.create({ model: 'gpt-4o', messages }, { headers: { 'x-fake-served-model': 'gpt-4o-mini' } });
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(rig.providers.requests.at(-1)).toMatchObject({ model: 'gpt-4o', fault: 'model_substitution' });
  });

  it('a model_substitution fault answers matching requests with servedModel', async () => {
    const fault = rig.providers.faults.inject({ kind: 'model_substitution', provider: 'anthropic', model: 'claude-sonnet-4-6', servedModel: 'claude-haiku-4-5' });
    const message = await rig.anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages });
    expect(message.model).toBe('claude-haiku-4-5-20251001');
    fault.clear();
    expect((await rig.anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 64, messages })).model).toBe('claude-sonnet-4-6');
  });

  it('servedModel is required by model_substitution and refused elsewhere', () => {
    expect(() => rig.providers.faults.inject({ kind: 'model_substitution' })).toThrow('Fault servedModel must be a non-empty string');
    expect(() => rig.providers.faults.inject({ kind: 'rate_limit', servedModel: 'gpt-4o' })).toThrow('for model_substitution only');
  });
});
