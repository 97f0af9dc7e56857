import { describe, expect, it } from 'vitest';
import { select } from '@modelwatch/testkit';
import { cost, expectCloseTo, expectedCost, internalErrors, newModelwatch, scrape } from '../integrations/__fixtures__/harness';

const SUBSTITUTIONS = 'modelwatch_gen_ai_model_substitutions_total';
const usage = { prompt_tokens: 1000, completion_tokens: 200 };

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
