import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startRig, thrown, type TestRig } from './test-support/clients';

const hello = [{ role: 'user' as const, content: 'Hello' }];
// "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n" is 55 characters: 14 tokens.
const HELLO_PROMPT_TOKENS = 14;
const weatherTool = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
const clockTool = { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: {} } } };

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.providers.close());

describe('chat completions', () => {
  it('answers a chat.completion the SDK parses, naming the dated snapshot of the model', async () => {
    const completion = await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    expect(completion).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }] });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion._request_id).toMatch(/^req_[0-9a-f]{32}$/);
    const content = completion.choices[0]?.message.content ?? '';
    expect(content.length).toBe((completion.usage?.completion_tokens ?? 0) * 4);
  });

  // 166 is the seeded draw from gpt-4o-mini's length distribution for this prompt (seed 1): pinned so drift shows.
  it('counts usage from the prompt deterministically, the same on every server with the same seed', async () => {
    const first = await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    const other = await startRig();
    try {
      const second = await other.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
      expect(first.usage).toEqual({
        prompt_tokens: HELLO_PROMPT_TOKENS,
        completion_tokens: 166,
        total_tokens: HELLO_PROMPT_TOKENS + 166,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      });
      expect(second.usage).toEqual(first.usage);
      expect(second.choices[0]?.message.content).toBe(first.choices[0]?.message.content);
    } finally {
      await other.providers.close();
    }
  });

  it('gives a different answer under a different seed', async () => {
    const other = await startRig({ seed: 2 });
    try {
      const [a, b] = await Promise.all([
        rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }),
        other.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello }),
      ]);
      expect(b.choices[0]?.message.content).not.toBe(a.choices[0]?.message.content);
    } finally {
      await other.providers.close();
    }
  });

  it.each([
    { name: 'JSON', stream: false },
    { name: 'a stream with include_usage', stream: true },
  ])('reports exactly the usage forced by x-fake-usage in $name', async ({ stream }) => {
    const forced = { prompt_tokens: 1200, completion_tokens: 34, prompt_tokens_details: { cached_tokens: 1024 }, completion_tokens_details: { reasoning_tokens: 5 } };
    const headers = { 'x-fake-usage': JSON.stringify(forced) };
    let usage: OpenAI.CompletionUsage | null | undefined;
    if (stream) {
      const chunks = await collect(await rig.openai.chat.completions.create({ model: 'gpt-4o', messages: hello, stream: true, stream_options: { include_usage: true } }, { headers }));
      usage = chunks.at(-1)?.usage;
    } else {
      usage = (await rig.openai.chat.completions.create({ model: 'gpt-4o', messages: hello }, { headers })).usage;
    }
    expect(usage).toEqual({
      prompt_tokens: 1200,
      completion_tokens: 34,
      total_tokens: 1234,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 5, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
  });

  it.each([
    { name: 'x-fake-output-tokens sets the answer length', cap: {}, expected: { tokens: 40, finish: 'stop' } },
    { name: 'max_completion_tokens cuts it short with finish_reason length', cap: { max_completion_tokens: 25 }, expected: { tokens: 25, finish: 'length' } },
    { name: 'max_tokens cuts it short too', cap: { max_tokens: 12 }, expected: { tokens: 12, finish: 'length' } },
  ])('$name', async ({ cap, expected }) => {
    const completion = await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, ...cap }, { headers: { 'x-fake-output-tokens': '40' } });
    expect(completion.usage?.completion_tokens).toBe(expected.tokens);
    expect(completion.choices[0]?.message.content).toHaveLength(expected.tokens * 4);
    expect(completion.choices[0]?.finish_reason).toBe(expected.finish);
  });

  it('streams chunks whose deltas add up to the same answer as the JSON response', async () => {
    const json = await rig.openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: hello });
    const chunks = await collect(await rig.openai.chat.completions.create({ model: 'gpt-4.1-mini', messages: hello, stream: true }));
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'gpt-4.1-mini-2025-04-14' && chunk.id === chunks[0]?.id)).toBe(true);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(json.choices[0]?.message.content);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it.each([
    { name: 'include_usage true ends with a usage chunk with no choices', streamOptions: { include_usage: true }, usageChunk: true },
    { name: 'include_usage false sends no usage at all', streamOptions: { include_usage: false }, usageChunk: false },
    { name: 'no stream_options sends no usage at all', streamOptions: undefined, usageChunk: false },
  ])('a stream with $name', async ({ streamOptions, usageChunk }) => {
    const chunks = await collect(await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, stream: true, ...(streamOptions ? { stream_options: streamOptions } : {}) }));
    const last = chunks.at(-1);
    if (usageChunk) {
      expect(last?.choices).toEqual([]);
      expect(last?.usage?.prompt_tokens).toBe(HELLO_PROMPT_TOKENS);
      expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    } else {
      expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
      expect(last?.choices[0]?.finish_reason).toBe('stop');
    }
  });

  it('works with the SDK stream helper, which accumulates the final completion', async () => {
    const final = await rig.openai.chat.completions.stream({ model: 'gpt-4o', messages: hello, stream_options: { include_usage: true } }).finalChatCompletion();
    const json = await rig.openai.chat.completions.create({ model: 'gpt-4o', messages: hello });
    expect(final.choices[0]?.message.content).toBe(json.choices[0]?.message.content);
    expect(final.usage).toEqual(json.usage);
  });

  it.each([
    { name: 'JSON', stream: false },
    { name: 'a stream', stream: true },
  ])('calls the first tool with {} arguments and finish_reason tool_calls in $name', async ({ stream }) => {
    const params = { model: 'gpt-4o-mini', messages: hello, tools: [weatherTool, clockTool] };
    const message = stream
      ? (await rig.openai.chat.completions.stream(params).finalChatCompletion()).choices[0]
      : (await rig.openai.chat.completions.create(params)).choices[0];
    expect(message?.finish_reason).toBe('tool_calls');
    expect(message?.message.content).toBeNull();
    expect(message?.message.tool_calls).toEqual([{ id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '{}' } }]);
  });

  it('streams the tool call as a first delta with id and name, then argument deltas', async () => {
    const chunks = await collect(await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, tools: [weatherTool], stream: true }));
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toEqual({ index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(calls.slice(1).map((call) => call.function?.arguments).join('')).toBe('{}');
  });

  it.each([
    { name: "tool_choice 'none' answers in text", toolChoice: 'none' as const, expected: undefined },
    { name: 'a named tool_choice calls that tool', toolChoice: { type: 'function' as const, function: { name: 'get_time' } }, expected: 'get_time' },
  ])('$name', async ({ toolChoice, expected }) => {
    const completion = await rig.openai.chat.completions.create({ model: 'gpt-4o-mini', messages: hello, tools: [weatherTool, clockTool], tool_choice: toolChoice });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function.name : undefined).toBe(expected);
  });

  it('reports reasoning tokens for a reasoning model, inside completion_tokens', async () => {
    const completion = await rig.openai.chat.completions.create({ model: 'o4-mini', messages: hello }, { headers: { 'x-fake-output-tokens': '30' } });
    const reasoning = completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    expect(reasoning).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBe(30 + reasoning);
    expect(completion.model).toBe('o4-mini-2025-04-16');
  });

  it("rejects max_tokens on a reasoning model as the API does (400, use 'max_completion_tokens')", async () => {
    const error = await thrown(() => rig.openai.chat.completions.create({ model: 'o4-mini', messages: hello, max_tokens: 10 }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'max_tokens', type: 'invalid_request_error' });
  });

  it.each([
    { name: 'no messages', body: { model: 'gpt-4o-mini' }, param: 'messages' },
    { name: 'no model', body: { messages: hello }, param: undefined },
  ])('rejects a request with $name with a 400 in OpenAI format', async ({ body, param }) => {
    const error = await thrown(() => rig.openai.post('/chat/completions', { body }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.APIError>).param ?? undefined).toBe(param);
  });

  it('answers for models it has no profile for, echoing the requested name', async () => {
    const completion = await rig.openai.chat.completions.create({ model: 'my-finetune', messages: hello });
    expect(completion.model).toBe('my-finetune');
  });
});
