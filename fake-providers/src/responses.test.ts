import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startRig, type TestRig } from './test-support/clients';

const weatherTool = { type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: {} }, strict: false };

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.providers.close());

/** Event types with consecutive deltas folded into one `…delta*` entry. */
function shape(events: OpenAI.Responses.ResponseStreamEvent[]): string[] {
  const types = events.map((event) => (event.type.endsWith('.delta') ? `${event.type}*` : event.type));
  return types.filter((type, index) => !(type.endsWith('*') && types[index - 1] === type));
}

describe('responses', () => {
  it('answers a response object with an output_text message and usage', async () => {
    const response = await rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello' });
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-4o-mini-2024-07-18', error: null, incomplete_details: null });
    expect(response.id).toMatch(/^resp_/);
    expect(response.output).toEqual([
      { id: expect.stringMatching(/^msg_/), type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', annotations: [], logprobs: [], text: response.output_text }] },
    ]);
    expect(response.usage).toEqual({
      input_tokens: 14,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: response.output_text.length / 4,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 14 + response.output_text.length / 4,
    });
  });

  it('streams created, in_progress, the item and part events, text deltas and completed, numbered in sequence', async () => {
    const events = await collect(await rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello', stream: true }));
    expect(shape(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta*',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const created = events[0];
    expect(created?.type === 'response.created' && created.response.usage).toBeNull();
    const completed = events.at(-1);
    const json = await rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello' });
    expect(completed?.type === 'response.completed' && completed.response.usage).toEqual(json.usage);
    const text = events.map((event) => (event.type === 'response.output_text.delta' ? event.delta : '')).join('');
    expect(text).toBe(json.output_text);
  });

  it('works with the SDK stream helper, which accumulates the final response', async () => {
    const final = await rig.openai.responses.stream({ model: 'gpt-4.1-mini', input: 'Hello' }).finalResponse();
    const json = await rig.openai.responses.create({ model: 'gpt-4.1-mini', input: 'Hello' });
    expect(final.output_text).toBe(json.output_text);
    expect(final.usage).toEqual(json.usage);
  });

  it('puts a reasoning item before the message and reports reasoning tokens for a reasoning model', async () => {
    const response = await rig.openai.responses.create({ model: 'o4-mini', input: 'Hello', reasoning: { effort: 'low' } });
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    const reasoning = response.usage?.output_tokens_details.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(response.usage?.output_tokens).toBe(reasoning + response.output_text.length / 4);
  });

  it.each([
    { name: 'JSON', stream: false },
    { name: 'a stream', stream: true },
  ])('answers with a function_call item for the first function tool in $name', async ({ stream }) => {
    const params = { model: 'gpt-4o-mini', input: 'Weather in Paris?', tools: [weatherTool] };
    const response = stream ? await rig.openai.responses.stream(params).finalResponse() : await rig.openai.responses.create(params);
    expect(response.output).toEqual([expect.objectContaining({ type: 'function_call', status: 'completed', name: 'get_weather', arguments: '{}', call_id: expect.stringMatching(/^call_/) })]);
  });

  it('streams a function call as item added, argument deltas, arguments done and item done', async () => {
    const events = await collect(await rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Weather?', tools: [weatherTool], stream: true }));
    expect(shape(events)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta*',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it.each([
    { name: 'JSON', stream: false },
    { name: 'a stream, which ends with response.incomplete', stream: true },
  ])('reports status incomplete when max_output_tokens caps the answer, in $name', async ({ stream }) => {
    const params = { model: 'gpt-4o-mini', input: 'Hello', max_output_tokens: 16 };
    let response: OpenAI.Responses.Response | undefined;
    if (stream) {
      const last = (await collect(await rig.openai.responses.create({ ...params, stream: true }))).at(-1);
      expect(last?.type).toBe('response.incomplete');
      response = last?.type === 'response.incomplete' ? last.response : undefined;
    } else {
      response = await rig.openai.responses.create(params);
    }
    expect(response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { output_tokens: 16 } });
  });

  it('reports exactly the usage forced by x-fake-usage, recomputing total_tokens', async () => {
    const response = await rig.openai.responses.create(
      { model: 'gpt-4o', input: 'Hello' },
      { headers: { 'x-fake-usage': JSON.stringify({ input_tokens: 2048, input_tokens_details: { cached_tokens: 1920 }, output_tokens: 10 }) } },
    );
    expect(response.usage).toEqual({ input_tokens: 2048, input_tokens_details: { cached_tokens: 1920 }, output_tokens: 10, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2058 });
  });

  it('counts instructions and structured input items into input_tokens', async () => {
    const plain = await rig.openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello' });
    const richer = await rig.openai.responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hello' }] }],
    });
    // "<|im_start|>system\nBe brief.<|im_end|>\n" adds 38 characters to the 55 of the plain prompt: 24 tokens.
    expect(richer.usage?.input_tokens).toBe(24);
    expect(plain.usage?.input_tokens).toBe(14);
  });
});
