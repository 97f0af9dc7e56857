import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders } from '@modelwatch/fake-providers';
import { select, type Sample } from '@modelwatch/testkit';
import { instrumentAnthropic } from '../integrations/anthropic';
import { instrumentOpenAI } from '../integrations/openai';
import { cost, expectCloseTo, expectedCost, internalErrors, newModelwatch, scrape, tokens } from '../integrations/__fixtures__/harness';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
let fake: Fake;
beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 5 });
});
afterAll(async () => {
  await fake?.close();
});

const substitutions = (samples: readonly Sample[]) => select(samples, SUBSTITUTIONS).map((s) => [s.labels.gen_ai_request_model, s.labels.gen_ai_response_model, s.value]);

const SUBSTITUTIONS = 'modelwatch_gen_ai_model_substitutions_total';
const usage = { prompt_tokens: 1000, completion_tokens: 200 };

describe('model substitution with the real SDK clients', () => {
  it('OpenAI: a fallback answer is counted and priced on the model that answered, streamed or not', async () => {
    const mw = newModelwatch();
    const client = instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl, maxRetries: 0 }), mw, { includeStreamUsage: true });
    const fallback = { headers: { 'x-fake-served-model': 'gpt-4o-mini' } };
    const request = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Plan my week.' }] };
    const answer = await client.chat.completions.create(request, fallback);
    const stream = await client.chat.completions.create({ ...request, stream: true }, fallback);
    for await (const _chunk of stream) void _chunk;
    const samples = await scrape(mw);
    expect(answer.model.startsWith('gpt-4o-mini')).toBe(true);
    expect(substitutions(samples)).toEqual([['gpt-4o', answer.model, 2]]);
    const used = tokens(samples, { gen_ai_request_model: 'gpt-4o' });
    expectCloseTo(cost(samples, { gen_ai_request_model: 'gpt-4o' }), expectedCost('openai', 'gpt-4o-mini', { input: used.input!, output: used.output!, cacheRead: used.cache_read ?? 0 }));
  });

  it('Anthropic: an answer from a snapshot of the requested alias is not a substitution', async () => {
    const mw = newModelwatch();
    const client = instrumentAnthropic(new Anthropic({ apiKey: 'test-key', baseURL: fake.anthropicBaseUrl, maxRetries: 0 }), mw);
    // Anthropic answers an alias with the snapshot it points to.
    const snapshot = { headers: { 'x-fake-served-model': 'claude-3-5-haiku-20241022' } };
    const message = await client.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 40, messages: [{ role: 'user', content: 'Hi' }] }, snapshot);
    const samples = await scrape(mw);
    expect(message.model).toBe('claude-3-5-haiku-20241022');
    expect(substitutions(samples)).toEqual([]);
  });
});

describe('model substitution', () => {
  it('counts a call answered by another model, and prices it on the model that answered', async () => {
    const mw = newModelwatch();
    await mw.observeAiCall({ provider: 'openai', model: 'gpt-4o' }, async () => ({ model: 'gpt-4o-mini-2024-07-18', usage }));
    const samples = await scrape(mw);
    expect(select(samples, SUBSTITUTIONS).map((s) => [s.labels.gen_ai_request_model, s.labels.gen_ai_response_model, s.value])).toEqual([['gpt-4o', 'gpt-4o-mini-2024-07-18', 1]]);
    expectCloseTo(cost(samples, { gen_ai_request_model: 'gpt-4o' }), expectedCost('openai', 'gpt-4o-mini', { input: 1000, output: 200 }));
  });

  it('does not count a dated snapshot of the requested model', async () => {
    const mw = newModelwatch();
    await mw.observeAiCall({ provider: 'openai', model: 'gpt-4o-mini' }, async () => ({ model: 'gpt-4o-mini-2024-07-18', usage }));
    const samples = await scrape(mw);
    expect(select(samples, SUBSTITUTIONS)).toEqual([]);
    expectCloseTo(cost(samples, { gen_ai_request_model: 'gpt-4o-mini' }), expectedCost('openai', 'gpt-4o-mini', { input: 1000, output: 200 }));
  });

  it('counts a served model without a price as unpriced, not as $0, and a served model that is not a string as bad input', async () => {
    const mw = newModelwatch();
    mw.recordAiCall({ provider: 'openai', model: 'gpt-4o' }, { durationSeconds: 1, usage, responseModel: 'in-house-distill-7b' });
    mw.recordAiCall({ provider: 'openai', model: 'gpt-4o' }, { durationSeconds: 1, usage, responseModel: 7 as unknown as string });
    const samples = await scrape(mw);
    expect(select(samples, SUBSTITUTIONS).map((s) => s.value)).toEqual([1]);
    expect(select(samples, 'modelwatch_gen_ai_unpriced_operations_total', { gen_ai_request_model: 'gpt-4o' }).map((s) => s.value)).toEqual([1]);
    expectCloseTo(cost(samples, { gen_ai_request_model: 'gpt-4o' }), expectedCost('openai', 'gpt-4o', { input: 1000, output: 200 }));
    expect(internalErrors(samples)).toEqual({ invalid_label_value: 1 });
  });
});
