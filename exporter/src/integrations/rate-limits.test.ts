import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { startFakeProviders } from '@modelwatch/fake-providers';
import { select, type Sample } from '@modelwatch/testkit';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calls, internalErrors, newModelwatch, scrape } from './__fixtures__/harness';
import { instrumentAnthropic } from './anthropic';
import { instrumentOpenAI } from './openai';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;

/** The fake's clock: pinned, so its budgets move only when a test moves it. */
const START = Date.parse('2026-01-01T00:00:00Z');
let clock = START;
let fake: Fake;

beforeAll(async () => {
  fake = await startFakeProviders({
    timeScale: 0,
    now: () => clock,
    rateLimits: [
      { provider: 'openai', model: 'gpt-4o-mini', requestsPerMinute: 3, tokensPerMinute: 1000 },
      { provider: 'anthropic', model: 'claude-haiku-4-5', requestsPerMinute: 50, inputTokensPerMinute: 30_000, outputTokensPerMinute: 8000 },
    ],
  });
});
beforeEach(() => {
  clock = START;
  fake.reset();
});
afterAll(async () => {
  await fake?.close();
});

const messages = [{ role: 'user' as const, content: 'Hello' }];
const usage = (value: object) => ({ headers: { 'x-fake-usage': JSON.stringify(value) } });

interface Gauges {
  remaining: number | undefined;
  limit: number | undefined;
  reset: number | undefined;
}

/** The three rate-limit gauges of one (provider, model, limit type). */
function gauges(samples: readonly Sample[], provider: string, model: string, type: string): Gauges {
  const labels = { gen_ai_provider_name: provider, gen_ai_request_model: model, limit_type: type };
  const value = (name: string) => select(samples, name, labels)[0]?.value;
  return {
    remaining: value('modelwatch_gen_ai_rate_limit_remaining'),
    limit: value('modelwatch_gen_ai_rate_limit_limit'),
    reset: value('modelwatch_gen_ai_rate_limit_reset_timestamp_seconds'),
  };
}

/** OpenAI states resets as durations: the gauge is the exporter's clock at the response plus the duration. */
function expectResetIn(reset: number | undefined, seconds: number, before: number, after: number): void {
  expect(reset).toBeGreaterThanOrEqual(before / 1000 + seconds);
  expect(reset).toBeLessThanOrEqual(after / 1000 + seconds);
}

describe('rate-limit headroom through instrumentOpenAI', () => {
  it('sets the gauges from each response, follows a budget run down, and keeps the 429’s word', async () => {
    const mw = newModelwatch();
    const openai = instrumentOpenAI(new OpenAI({ apiKey: 'test', baseURL: fake.openaiBaseUrl, maxRetries: 0 }), mw);
    const chat = (input: number, output: number) => openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, usage({ prompt_tokens: input, completion_tokens: output }));

    let before = Date.now();
    await chat(100, 50);
    let after = Date.now();
    let samples = await scrape(mw);
    const requests = gauges(samples, 'openai', 'gpt-4o-mini', 'requests');
    expect(requests).toMatchObject({ remaining: 2, limit: 3 });
    expectResetIn(requests.reset, 20, before, after);
    const tokens = gauges(samples, 'openai', 'gpt-4o-mini', 'tokens');
    expect(tokens).toMatchObject({ remaining: 850, limit: 1000 });
    expectResetIn(tokens.reset, 9, before, after);

    // Another service on the key consumes 3 000 tokens a minute against a refill of 1 000: −2 000 a minute.
    fake.faults.inject({ kind: 'rate_limit_drain', provider: 'openai', model: 'gpt-4o-mini', inputTokensPerMinute: 3000 });
    clock += 15_000;
    await chat(100, 50);
    samples = await scrape(mw);
    expect(gauges(samples, 'openai', 'gpt-4o-mini', 'tokens')).toMatchObject({ remaining: 200, limit: 1000 });
    expect(gauges(samples, 'openai', 'gpt-4o-mini', 'requests')).toMatchObject({ remaining: 1 });

    clock += 10_000;
    before = Date.now();
    await expect(chat(100, 50)).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    after = Date.now();
    samples = await scrape(mw);
    const exhausted = gauges(samples, 'openai', 'gpt-4o-mini', 'tokens');
    expect(exhausted).toMatchObject({ remaining: 0, limit: 1000 });
    expectResetIn(exhausted.reset, 60, before, after);
    // Refused whole: the request budget refilled and nothing was taken.
    expect(gauges(samples, 'openai', 'gpt-4o-mini', 'requests')).toMatchObject({ remaining: 2 });
    expect(calls(samples, { gen_ai_request_model: 'gpt-4o-mini', error_type: 'rate_limited' })).toBe(1);
    expect(internalErrors(samples)).toEqual({});
  });

  it('labels the gauges with the requested model when another one answered', async () => {
    const mw = newModelwatch();
    const openai = instrumentOpenAI(new OpenAI({ apiKey: 'test', baseURL: fake.openaiBaseUrl, maxRetries: 0 }), mw);
    const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-fake-served-model': 'gpt-4o', 'x-fake-usage': JSON.stringify({ prompt_tokens: 10, completion_tokens: 10 }) } });
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    const samples = await scrape(mw);
    expect(gauges(samples, 'openai', 'gpt-4o-mini', 'tokens')).toMatchObject({ remaining: 980, limit: 1000 });
    expect(select(samples, 'modelwatch_gen_ai_rate_limit_remaining', { gen_ai_request_model: 'gpt-4o' })).toEqual([]);
  });
});

describe('rate-limit headroom through instrumentAnthropic', () => {
  const anthropicClient = () => {
    const mw = newModelwatch();
    return { mw, anthropic: instrumentAnthropic(new Anthropic({ apiKey: 'test', baseURL: fake.anthropicBaseUrl, maxRetries: 0 }), mw) };
  };

  it('sets all four limit types with the resets Anthropic states, from a streamed call too', async () => {
    const { mw, anthropic } = anthropicClient();
    const stream = await anthropic.messages.create(
      { model: 'claude-haiku-4-5', max_tokens: 64, messages, stream: true },
      usage({ input_tokens: 3000, cache_read_input_tokens: 5000, cache_creation_input_tokens: 1000, output_tokens: 2000 }),
    );
    for await (const event of stream) expect(event.type).toBeTypeOf('string');
    const samples = await scrape(mw);
    const at = (seconds: number) => START / 1000 + seconds;
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'requests')).toEqual({ remaining: 49, limit: 50, reset: at(2) });
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'input_tokens')).toEqual({ remaining: 26_000, limit: 30_000, reset: at(8) });
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'output_tokens')).toEqual({ remaining: 6000, limit: 8000, reset: at(15) });
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'tokens')).toEqual({ remaining: 6000, limit: 8000, reset: at(15) });
  });

  it('reads the headers of a 429: an exhausted budget, and an injected rate limit', async () => {
    const { mw, anthropic } = anthropicClient();
    const call = (output: number) => anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages }, usage({ input_tokens: 100, output_tokens: output }));
    await call(7000);
    await expect(call(2000)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    let samples = await scrape(mw);
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'output_tokens')).toEqual({ remaining: 1000, limit: 8000, reset: START / 1000 + 53 });
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'requests')).toMatchObject({ remaining: 49 });

    fake.faults.inject({ kind: 'rate_limit', provider: 'anthropic', retryAfterSeconds: 30 });
    await expect(call(10)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    samples = await scrape(mw);
    expect(gauges(samples, 'anthropic', 'claude-haiku-4-5', 'requests')).toEqual({ remaining: 0, limit: 50, reset: START / 1000 + 30 });
    expect(calls(samples, { error_type: 'rate_limited' })).toBe(2);
    expect(internalErrors(samples)).toEqual({});
  });
});

describe('garbage rate-limit headers', () => {
  let server: Server;
  let baseURL: string;
  beforeAll(async () => {
    // An OpenAI-compatible server whose rate-limit headers are broken (a proxy rewriting them, say).
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': 'many',
        'x-ratelimit-reset-requests': 'in a while',
        'x-ratelimit-remaining-tokens': '12e3',
      });
      res.end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps what reads, skips the rest, counts each response read once, and the app gets its answer', async () => {
    const mw = newModelwatch();
    const openai = instrumentOpenAI(new OpenAI({ apiKey: 'test', baseURL, maxRetries: 0 }), mw);
    const answer = async () => (await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })).choices[0]?.message.content;
    // Two responses before a scrape: the gauges show the last one, which is the one read.
    for (let i = 0; i < 2; i++) expect(await answer()).toBe('Hi');
    let samples = await scrape(mw);
    expect(gauges(samples, 'openai', 'gpt-4o-mini', 'requests')).toEqual({ remaining: undefined, limit: 500, reset: undefined });
    expect(gauges(samples, 'openai', 'gpt-4o-mini', 'tokens')).toEqual({ remaining: undefined, limit: undefined, reset: undefined });
    expect(internalErrors(samples)).toEqual({ invalid_rate_limit_header: 1 });
    expect(await answer()).toBe('Hi');
    samples = await scrape(mw);
    expect(internalErrors(samples)).toEqual({ invalid_rate_limit_header: 2 });
    expect(calls(samples, { error_type: '' })).toBe(3);
  });
});
