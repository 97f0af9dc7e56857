import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startRig, thrown, type TestRig } from './test-support/clients';

const hello = [{ role: 'user' as const, content: 'Hello' }];
// "\n\nHuman: Hello\n\nAssistant:" is 26 characters: 7 tokens.
const HELLO_INPUT_TOKENS = 7;
const weatherTool = { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: {} } };
const clockTool = { name: 'get_time', input_schema: { type: 'object' as const, properties: {} } };

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.providers.close());

describe('anthropic messages', () => {
  it('answers a message the SDK parses, naming the dated snapshot, with cache counts in usage', async () => {
    const message = await rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: hello });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-haiku-4-5-20251001', stop_reason: 'end_turn', stop_sequence: null });
    expect(message.id).toMatch(/^msg_01/);
    const text = message.content[0]?.type === 'text' ? message.content[0].text : '';
    expect(message.usage).toEqual({
      input_tokens: HELLO_INPUT_TOKENS,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: text.length / 4,
      service_tier: 'standard',
    });
  });

  it('sends its request id in the request-id header, which the SDK exposes', async () => {
    const { response, request_id } = await rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: hello }).withResponse();
    expect(request_id).toMatch(/^req_011C/);
    expect(response.headers.get('request-id')).toBe(request_id);
    expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('3999');
  });

  it('streams message_start, content block events with a ping, message_delta and message_stop', async () => {
    const events = await collect(await rig.anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: hello, stream: true }));
    const types = events.map((event) => event.type);
    const deltas = types.filter((type) => type === 'content_block_delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(types).toEqual(['message_start', 'content_block_start', ...Array<string>(deltas).fill('content_block_delta'), 'content_block_stop', 'message_delta', 'message_stop']);
    const start = events[0];
    expect(start?.type === 'message_start' && start.message.usage).toMatchObject({ input_tokens: HELLO_INPUT_TOKENS, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 });
    const json = await rig.anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: hello });
    const delta = events.at(-2);
    expect(delta?.type === 'message_delta' && delta.usage).toEqual({ input_tokens: HELLO_INPUT_TOKENS, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: json.usage.output_tokens });
    const text = events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('');
    expect(json.content).toEqual([{ type: 'text', text }]);
  });

  it('works with the SDK stream helper, whose final message matches the JSON answer', async () => {
    const final = await rig.anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: hello }).finalMessage();
    const json = await rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: hello });
    expect(final.content).toEqual(json.content);
    expect(final.usage).toEqual(json.usage);
    expect(final.stop_reason).toBe('end_turn');
  });

  it.each([
    { name: 'JSON', stream: false },
    { name: 'a stream', stream: true },
  ])('answers with a tool_use block for the first tool and stop_reason tool_use in $name', async ({ stream }) => {
    const params = { model: 'claude-haiku-4-5', max_tokens: 1024, messages: hello, tools: [weatherTool, clockTool] };
    const message = stream ? await rig.anthropic.messages.stream(params).finalMessage() : await rig.anthropic.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: expect.stringMatching(/^toolu_01/), name: 'get_weather', input: {} }]);
  });

  it('streams tool input as input_json_delta pieces that join to the JSON input', async () => {
    const events = await collect(await rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: hello, tools: [weatherTool], stream: true }));
    const start = events.find((event) => event.type === 'content_block_start');
    expect(start?.type === 'content_block_start' && start.content_block).toMatchObject({ type: 'tool_use', name: 'get_weather', input: {} });
    const json = events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta' ? event.delta.partial_json : '')).join('');
    expect(json).toBe('{}');
  });

  it.each([
    { name: "tool_choice { type: 'none' } answers in text", toolChoice: { type: 'none' as const }, expected: 'text' },
    { name: "tool_choice { type: 'tool' } calls the named tool", toolChoice: { type: 'tool' as const, name: 'get_time' }, expected: 'get_time' },
  ])('$name', async ({ toolChoice, expected }) => {
    const message = await rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 1024, messages: hello, tools: [weatherTool, clockTool], tool_choice: toolChoice });
    const block = message.content[0];
    expect(block?.type === 'tool_use' ? block.name : block?.type).toBe(expected);
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    const message = await rig.anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 9, messages: hello }, { headers: { 'x-fake-output-tokens': '50' } });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(9);
  });

  it.each([
    { name: 'JSON', stream: false },
    { name: 'a stream', stream: true },
  ])('reports exactly the usage forced by x-fake-usage in $name', async ({ stream }) => {
    const headers = { 'x-fake-usage': JSON.stringify({ input_tokens: 12, cache_read_input_tokens: 4000, cache_creation_input_tokens: 100, output_tokens: 42 }) };
    const params = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: hello };
    const message = stream ? await rig.anthropic.messages.stream(params, { headers }).finalMessage() : await rig.anthropic.messages.create(params, { headers });
    expect(message.usage).toMatchObject({ input_tokens: 12, cache_read_input_tokens: 4000, cache_creation_input_tokens: 100, output_tokens: 42 });
  });

  it.each([
    { name: 'without max_tokens', body: { model: 'claude-haiku-4-5', messages: hello }, message: 'max_tokens: Field required' },
    { name: 'without messages', body: { model: 'claude-haiku-4-5', max_tokens: 10 }, message: 'messages: Field required' },
    { name: 'with an empty message list', body: { model: 'claude-haiku-4-5', max_tokens: 10, messages: [] }, message: 'messages: at least one message is required' },
  ])('rejects a request $name with a 400 invalid_request_error', async ({ body, message }) => {
    const error = await thrown(() => rig.anthropic.post('/v1/messages', { body }));
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', apiMessage: message });
  });
});
