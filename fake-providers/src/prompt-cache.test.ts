import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collect, filler, startRig, type TestRig } from './test-support/clients';

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
beforeEach(() => rig.providers.reset());
afterAll(() => rig.providers.close());

// 8000 characters of system prompt + framing: 2023 prompt tokens; the longest 128-token step below is 1024 + 7 × 128.
const LONG_SYSTEM = filler(2000);
const LONG_PROMPT_TOKENS = 2023;
const LONG_PROMPT_CACHED = 1920;

describe('OpenAI automatic prompt caching', () => {
  const viaChat = async (model: string, system: string, question: string) => {
    const { usage } = await rig.openai.chat.completions.create({ model, messages: [{ role: 'system', content: system }, { role: 'user', content: question }] });
    return { input: usage?.prompt_tokens, cached: usage?.prompt_tokens_details?.cached_tokens };
  };
  const viaResponses = async (model: string, system: string, question: string) => {
    const { usage } = await rig.openai.responses.create({ model, input: [{ role: 'system', content: system }, { role: 'user', content: question }] });
    return { input: usage?.input_tokens, cached: usage?.input_tokens_details.cached_tokens };
  };

  it.each([
    { api: 'chat completions', call: viaChat },
    { api: 'responses', call: viaResponses },
  ])('reports cached tokens in 128-token steps when a long prompt repeats, through $api', async ({ call }) => {
    expect(await call('gpt-4o-mini', LONG_SYSTEM, 'Question A')).toEqual({ input: LONG_PROMPT_TOKENS, cached: 0 });
    expect(await call('gpt-4o-mini', LONG_SYSTEM, 'Question A')).toEqual({ input: LONG_PROMPT_TOKENS, cached: LONG_PROMPT_CACHED });
    // Another question after the same long system prompt shares the prefix.
    expect(await call('gpt-4o-mini', LONG_SYSTEM, 'Question B')).toEqual({ input: LONG_PROMPT_TOKENS, cached: LONG_PROMPT_CACHED });
  });

  it('never caches prompts shorter than 1024 tokens', async () => {
    const short = filler(900);
    await viaChat('gpt-4o-mini', short, 'Q');
    expect((await viaChat('gpt-4o-mini', short, 'Q')).cached).toBe(0);
  });

  it('keeps each model its own cache', async () => {
    await viaChat('gpt-4o-mini', LONG_SYSTEM, 'Q');
    expect((await viaChat('gpt-4o', LONG_SYSTEM, 'Q')).cached).toBe(0);
    expect((await viaChat('gpt-4o-mini', LONG_SYSTEM, 'Q')).cached).toBe(LONG_PROMPT_CACHED);
  });

  it('forgets everything on reset()', async () => {
    await viaChat('gpt-4o-mini', LONG_SYSTEM, 'Q');
    rig.providers.reset();
    expect((await viaChat('gpt-4o-mini', LONG_SYSTEM, 'Q')).cached).toBe(0);
  });
});

describe('Anthropic cache_control', () => {
  const ask = (model: string, system: string, cacheControl: { type: 'ephemeral'; ttl?: '5m' | '1h' } = { type: 'ephemeral' }) =>
    rig.anthropic.messages.create({ model, max_tokens: 256, system: [{ type: 'text', text: system, cache_control: cacheControl }], messages: [{ role: 'user', content: 'Hello' }] });
  // "<system>" + 8000 characters + "</system>\n" ends the breakpoint at 8018 characters (2005 tokens); the question adds 26 (7 tokens in all: 2011).
  const PREFIX = 2005;
  const REST = 6;

  it('writes the prefix to the cache on the first request and reads it on the next, input_tokens excluding both', async () => {
    const first = await ask('claude-sonnet-4-6', LONG_SYSTEM);
    expect(first.usage).toMatchObject({ input_tokens: REST, cache_creation_input_tokens: PREFIX, cache_read_input_tokens: 0, cache_creation: { ephemeral_5m_input_tokens: PREFIX, ephemeral_1h_input_tokens: 0 } });
    const second = await ask('claude-sonnet-4-6', LONG_SYSTEM);
    expect(second.usage).toMatchObject({ input_tokens: REST, cache_creation_input_tokens: 0, cache_read_input_tokens: PREFIX });
  });

  it('books a 1-hour breakpoint under ephemeral_1h_input_tokens', async () => {
    const message = await ask('claude-sonnet-4-6', LONG_SYSTEM, { type: 'ephemeral', ttl: '1h' });
    expect(message.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: PREFIX });
  });

  it("ignores breakpoints below the model's minimum (4096 tokens for claude-haiku-4-5)", async () => {
    await ask('claude-haiku-4-5', LONG_SYSTEM);
    const second = await ask('claude-haiku-4-5', LONG_SYSTEM);
    expect(second.usage).toMatchObject({ input_tokens: PREFIX + REST, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('reports the cache counts in message_start and message_delta of a stream', async () => {
    await ask('claude-sonnet-4-6', LONG_SYSTEM);
    const events = await collect(
      await rig.anthropic.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 256,
        stream: true,
        system: [{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hello' }],
      }),
    );
    const start = events.find((event) => event.type === 'message_start');
    const delta = events.find((event) => event.type === 'message_delta');
    expect(start?.type === 'message_start' && start.message.usage).toMatchObject({ input_tokens: REST, cache_read_input_tokens: PREFIX, cache_creation_input_tokens: 0 });
    expect(delta?.type === 'message_delta' && delta.usage).toMatchObject({ input_tokens: REST, cache_read_input_tokens: PREFIX, cache_creation_input_tokens: 0 });
  });

  it('reads the longest cached breakpoint and writes only the part after it', async () => {
    const tools = [{ name: 'lookup', description: filler(1500, 'tool'), input_schema: { type: 'object' as const }, cache_control: { type: 'ephemeral' as const } }];
    const withSystem = (system: string) =>
      rig.anthropic.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 256,
        tool_choice: { type: 'none' },
        tools,
        system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: 'Hello' }],
      });
    const first = (await withSystem(LONG_SYSTEM)).usage;
    const second = (await withSystem(filler(2000, 'other'))).usage;
    expect(first.cache_read_input_tokens).toBe(0);
    const toolsPrefix = second.cache_read_input_tokens ?? 0;
    expect(toolsPrefix).toBeGreaterThan(1500);
    expect(second.cache_creation_input_tokens).toBe((first.cache_creation_input_tokens ?? 0) - toolsPrefix);
    expect(second.input_tokens).toBe(first.input_tokens);
  });
});
