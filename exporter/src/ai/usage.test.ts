import { describe, expect, it } from 'vitest';
import { isAnthropicProvider, normalizeUsage, readUsageInto, type NormalizedUsage } from './usage';

function usage(input: number, output: number, cacheRead = 0, cacheCreation = 0, reasoning = 0): NormalizedUsage {
  return { input, output, cacheRead, cacheCreation, reasoning };
}

interface Case {
  name: string;
  payload: unknown;
  hint?: string;
  expected: NormalizedUsage;
}

const RECOGNISED: Case[] = [
  {
    name: 'OpenAI chat completion with cached prompt and reasoning tokens keeps prompt_tokens as input',
    payload: {
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 128, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    hint: 'openai',
    expected: usage(2006, 300, 1920, 0, 128),
  },
  {
    name: 'OpenAI chat completion without details (compatible servers) reads the plain counts',
    payload: { prompt_tokens: 57, completion_tokens: 17, total_tokens: 74 },
    expected: usage(57, 17),
  },
  {
    name: 'OpenAI chat completion with null details treats them as absent',
    payload: { prompt_tokens: 57, completion_tokens: 17, total_tokens: 74, prompt_tokens_details: null, completion_tokens_details: null },
    expected: usage(57, 17),
  },
  {
    name: 'OpenAI chat completion reporting cache writes counts them as cache creation',
    payload: { prompt_tokens: 2600, completion_tokens: 40, total_tokens: 2640, prompt_tokens_details: { cached_tokens: 2000, cache_write_tokens: 400 } },
    expected: usage(2600, 40, 2000, 400),
  },
  {
    name: 'OpenAI embeddings usage has no output',
    payload: { prompt_tokens: 8, total_tokens: 8 },
    expected: usage(8, 0),
  },
  {
    name: 'DeepSeek chat usage reads cache hits from prompt_cache_hit_tokens',
    payload: { prompt_tokens: 1200, completion_tokens: 90, total_tokens: 1290, prompt_cache_hit_tokens: 1024, prompt_cache_miss_tokens: 176 },
    hint: 'deepseek',
    expected: usage(1200, 90, 1024),
  },
  {
    name: 'xAI chat usage whose total shows reasoning outside completion_tokens adds it to output',
    payload: {
      prompt_tokens: 2640,
      completion_tokens: 182,
      total_tokens: 3494,
      prompt_tokens_details: { text_tokens: 2640, audio_tokens: 0, image_tokens: 0, cached_tokens: 473 },
      completion_tokens_details: { reasoning_tokens: 672, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    hint: 'x_ai',
    expected: usage(2640, 854, 473, 0, 672),
  },
  {
    name: 'OpenAI Responses API usage keeps input_tokens as input and reads both details',
    payload: {
      input_tokens: 5400,
      input_tokens_details: { cached_tokens: 4096 },
      output_tokens: 1850,
      output_tokens_details: { reasoning_tokens: 1536 },
      total_tokens: 7250,
    },
    hint: 'openai',
    expected: usage(5400, 1850, 4096, 0, 1536),
  },
  {
    name: 'OpenAI Realtime usage reads cached tokens from the singular details key',
    payload: { input_tokens: 900, output_tokens: 120, total_tokens: 1020, input_token_details: { cached_tokens: 640, text_tokens: 900 } },
    expected: usage(900, 120, 640),
  },
  {
    name: 'Anthropic message usage adds cache reads and writes to the uncached input',
    payload: {
      input_tokens: 21,
      output_tokens: 393,
      cache_creation_input_tokens: 188086,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 188086, ephemeral_1h_input_tokens: 0 },
      server_tool_use: null,
      service_tier: 'standard',
    },
    expected: usage(188107, 393, 0, 188086),
  },
  {
    name: 'Anthropic message usage with a cache hit and null cache creation',
    payload: { input_tokens: 12, output_tokens: 250, cache_read_input_tokens: 6209, cache_creation_input_tokens: null },
    expected: usage(6221, 250, 6209, 0),
  },
  {
    name: 'bare input_tokens and output_tokens with the anthropic hint read the same as without',
    payload: { input_tokens: 25, output_tokens: 11 },
    hint: 'anthropic',
    expected: usage(25, 11),
  },
  {
    name: 'bare input_tokens and output_tokens without a hint',
    payload: { input_tokens: 25, output_tokens: 11 },
    expected: usage(25, 11),
  },
  {
    name: 'Gemini usageMetadata with cached content and thoughts bills thoughts as output',
    payload: {
      promptTokenCount: 12000,
      candidatesTokenCount: 420,
      totalTokenCount: 13530,
      cachedContentTokenCount: 8192,
      thoughtsTokenCount: 1110,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 12000 }],
    },
    hint: 'gcp.gemini',
    expected: usage(12000, 1530, 8192, 0, 1110),
  },
  {
    name: 'Gemini usageMetadata with tool-use prompt tokens counts them as input',
    payload: { promptTokenCount: 300, toolUsePromptTokenCount: 1200, candidatesTokenCount: 80, totalTokenCount: 1580 },
    expected: usage(1500, 80),
  },
  {
    name: 'Gemini response object is read through its usageMetadata',
    payload: {
      candidates: [{ content: { parts: [{ text: 'hi' }], role: 'model' }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 9, candidatesTokenCount: 2, totalTokenCount: 11 },
      modelVersion: 'gemini-2.5-flash',
    },
    expected: usage(9, 2),
  },
  {
    name: 'Vercel AI SDK v5 usage from OpenAI is already inclusive',
    payload: { inputTokens: 3000, outputTokens: 700, totalTokens: 3700, reasoningTokens: 512, cachedInputTokens: 2048 },
    hint: 'openai',
    expected: usage(3000, 700, 2048, 0, 512),
  },
  {
    name: 'Vercel AI SDK v5 usage from Anthropic adds the cached tokens its inputTokens leaves out',
    payload: { inputTokens: 12, outputTokens: 250, totalTokens: 262, cachedInputTokens: 6209 },
    hint: 'anthropic',
    expected: usage(6221, 250, 6209),
  },
  {
    name: 'Vercel AI SDK v5 usage with undefined counts reads them as 0',
    payload: { inputTokens: undefined, outputTokens: undefined, totalTokens: undefined },
    expected: usage(0, 0),
  },
  {
    name: 'Vercel AI SDK v6 usage reads the cache and reasoning details',
    payload: {
      inputTokens: 6221,
      inputTokenDetails: { noCacheTokens: 12, cacheReadTokens: 6209, cacheWriteTokens: 0 },
      outputTokens: 250,
      outputTokenDetails: { textTokens: 100, reasoningTokens: 150 },
      totalTokens: 6471,
      cachedInputTokens: 6209,
    },
    hint: 'anthropic',
    expected: usage(6221, 250, 6209, 0, 150),
  },
  {
    name: 'Vercel AI SDK v6 provider-level usage reads the nested totals',
    payload: {
      inputTokens: { total: 4300, noCache: 100, cacheRead: 4000, cacheWrite: 200 },
      outputTokens: { total: 900, text: 300, reasoning: 600 },
    },
    expected: usage(4300, 900, 4000, 200, 600),
  },
  {
    name: 'Vercel AI SDK v6 provider-level usage without totals sums the parts',
    payload: { inputTokens: { total: undefined, noCache: 100, cacheRead: 4000, cacheWrite: 200 }, outputTokens: { total: undefined, text: 300, reasoning: 600 } },
    expected: usage(4300, 900, 4000, 200, 600),
  },
  {
    name: 'Vercel AI SDK v5 generateText result prefers totalUsage over the last step usage',
    payload: {
      text: 'done',
      usage: { inputTokens: 100, outputTokens: 10, totalTokens: 110 },
      totalUsage: { inputTokens: 300, outputTokens: 40, totalTokens: 340 },
    },
    expected: usage(300, 40),
  },
  {
    name: 'Vercel AI SDK v4 usage',
    payload: { promptTokens: 787, completionTokens: 60, totalTokens: 847 },
    expected: usage(787, 60),
  },
  {
    name: 'AWS Bedrock Converse usage adds cache reads and writes to inputTokens',
    payload: { inputTokens: 20, outputTokens: 300, totalTokens: 5320, cacheReadInputTokens: 4000, cacheWriteInputTokens: 1000 },
    hint: 'aws.bedrock',
    expected: usage(5020, 300, 4000, 1000),
  },
  {
    name: 'already-normalised usage is returned as is',
    payload: usage(5000, 800, 4000, 500, 300),
    expected: usage(5000, 800, 4000, 500, 300),
  },
  {
    name: 'already-normalised usage without the optional fields',
    payload: { input: 10, output: 5 },
    expected: usage(10, 5),
  },
  {
    name: 'OpenAI chat completion response object is read through its usage',
    payload: {
      id: 'chatcmpl-123',
      object: 'chat.completion',
      model: 'gpt-4o-mini-2024-07-18',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 19, completion_tokens: 10, total_tokens: 29, prompt_tokens_details: { cached_tokens: 0 } },
    },
    expected: usage(19, 10),
  },
  {
    name: 'Anthropic message response object is read through its usage',
    payload: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'Hi' }],
      usage: { input_tokens: 3, output_tokens: 5, cache_read_input_tokens: 1000, cache_creation_input_tokens: 0 },
    },
    expected: usage(1003, 5, 1000),
  },
  {
    name: 'a logged record with text input and output reads its usage property',
    payload: { input: 'What is 2+2?', output: '4', usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 } },
    expected: usage(7, 1),
  },
  {
    name: 'a getter-based usage object (an SDK class instance) is read like a plain one',
    payload: new (class {
      get prompt_tokens(): number {
        return 40;
      }
      get completion_tokens(): number {
        return 2;
      }
    })(),
    expected: usage(40, 2),
  },
];

describe('normalizeUsage recognises', () => {
  it.each(RECOGNISED)('$name', ({ payload, hint, expected }) => {
    expect(normalizeUsage(payload, hint)).toEqual({ ok: true, usage: expected });
  });
});

interface BadCase {
  name: string;
  payload: unknown;
  hint?: string;
  reason: 'unknown_usage_shape' | 'invalid_tokens';
}

const throwingProxy = new Proxy(
  {},
  {
    has() {
      throw new Error('has trap');
    },
    get() {
      throw new Error('get trap');
    },
  },
);

const BAD: BadCase[] = [
  { name: 'undefined is an unknown shape', payload: undefined, reason: 'unknown_usage_shape' },
  { name: 'null is an unknown shape', payload: null, reason: 'unknown_usage_shape' },
  { name: 'a number is an unknown shape', payload: 42, reason: 'unknown_usage_shape' },
  { name: 'a string is an unknown shape', payload: '{"prompt_tokens":1}', reason: 'unknown_usage_shape' },
  { name: 'an empty object is an unknown shape', payload: {}, reason: 'unknown_usage_shape' },
  { name: 'an array is an unknown shape', payload: [1, 2], reason: 'unknown_usage_shape' },
  { name: 'an object with unrelated keys is an unknown shape', payload: { tokens: 10, cost: 0.1 }, reason: 'unknown_usage_shape' },
  { name: 'a response whose usage is not an object is an unknown shape', payload: { usage: 12 }, reason: 'unknown_usage_shape' },
  { name: 'a response whose usage is a pending promise is an unknown shape', payload: { usage: Promise.resolve({}) }, reason: 'unknown_usage_shape' },
  { name: 'a Proxy whose traps throw is an unknown shape', payload: throwingProxy, reason: 'unknown_usage_shape' },
  {
    name: 'a getter that throws is an unknown shape',
    payload: {
      get prompt_tokens(): number {
        throw new Error('boom');
      },
    },
    reason: 'unknown_usage_shape',
  },
  { name: 'a negative prompt_tokens is invalid', payload: { prompt_tokens: -1, completion_tokens: 3 }, reason: 'invalid_tokens' },
  { name: 'a NaN completion_tokens is invalid', payload: { prompt_tokens: 1, completion_tokens: NaN }, reason: 'invalid_tokens' },
  { name: 'an infinite input_tokens is invalid', payload: { input_tokens: Infinity, output_tokens: 3 }, reason: 'invalid_tokens' },
  { name: 'a string token count is invalid', payload: { prompt_tokens: '12', completion_tokens: 3 }, reason: 'invalid_tokens' },
  { name: 'a boolean token count is invalid', payload: { promptTokenCount: true }, reason: 'invalid_tokens' },
  { name: 'a bigint token count is invalid', payload: { inputTokens: 10n, outputTokens: 1 }, reason: 'invalid_tokens' },
  { name: 'a non-number total is invalid', payload: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 'two' }, reason: 'invalid_tokens' },
  {
    name: 'a negative nested cached_tokens is invalid',
    payload: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: -5 } },
    reason: 'invalid_tokens',
  },
  {
    name: 'a NaN Anthropic cache read is invalid',
    payload: { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: NaN },
    reason: 'invalid_tokens',
  },
  {
    name: 'cached tokens above the inclusive prompt count are invalid',
    payload: { prompt_tokens: 100, completion_tokens: 1, total_tokens: 101, prompt_tokens_details: { cached_tokens: 101 } },
    reason: 'invalid_tokens',
  },
  {
    name: 'reasoning above output without a total that explains it is invalid',
    payload: { prompt_tokens: 100, completion_tokens: 10, completion_tokens_details: { reasoning_tokens: 11 } },
    reason: 'invalid_tokens',
  },
  {
    name: 'Gemini cached content above the prompt count is invalid',
    payload: { promptTokenCount: 100, candidatesTokenCount: 1, cachedContentTokenCount: 200 },
    reason: 'invalid_tokens',
  },
  {
    name: 'Vercel AI SDK v5 cached tokens above inputTokens without the anthropic hint are invalid',
    payload: { inputTokens: 12, outputTokens: 250, cachedInputTokens: 6209 },
    hint: 'openai',
    reason: 'invalid_tokens',
  },
  { name: 'normalised usage whose cache parts exceed input is invalid', payload: usage(10, 5, 6, 5), reason: 'invalid_tokens' },
  { name: 'normalised usage whose reasoning exceeds output is invalid', payload: usage(10, 5, 0, 0, 6), reason: 'invalid_tokens' },
  { name: 'normalised usage with a negative output is invalid', payload: usage(10, -5), reason: 'invalid_tokens' },
  { name: 'counts whose sum overflows to Infinity are invalid', payload: { input_tokens: Number.MAX_VALUE, output_tokens: 1, cache_read_input_tokens: Number.MAX_VALUE }, reason: 'invalid_tokens' },
  {
    name: 'a response whose usage has a bad count is invalid',
    payload: { id: 'chatcmpl-1', usage: { prompt_tokens: 5, completion_tokens: -2 } },
    reason: 'invalid_tokens',
  },
];

describe('normalizeUsage rejects', () => {
  it.each(BAD)('$name', ({ payload, hint, reason }) => {
    expect(normalizeUsage(payload, hint)).toEqual({ ok: false, reason });
  });
});

describe('normalizeUsage', () => {
  it('returns a fresh usage object, never the caller payload', () => {
    const payload = usage(10, 5);
    const result = normalizeUsage(payload);
    expect(result.ok && result.usage).not.toBe(payload);
  });

  it('matches the anthropic hint case-insensitively inside longer ids such as the AI SDK provider id anthropic.messages', () => {
    expect(normalizeUsage({ input_tokens: 10, output_tokens: 2 }, 'Anthropic.Messages')).toEqual({ ok: true, usage: usage(10, 2) });
    expect(normalizeUsage({ inputTokens: 10, outputTokens: 2, cachedInputTokens: 30 }, 'anthropic.messages')).toEqual({ ok: true, usage: usage(40, 2, 30) });
  });
});

describe('readUsageInto (the recorder reads usage without allocating)', () => {
  it('writes the counts into the given object, or says why it could not', () => {
    const out = usage(0, 0);
    expect(readUsageInto({ prompt_tokens: 10, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 4 } }, false, out)).toBeUndefined();
    expect(out).toEqual(usage(10, 2, 4));
    expect(readUsageInto({ prompt_tokens: -1 }, false, out)).toBe('invalid_tokens');
    expect(readUsageInto('ten tokens', false, out)).toBe('unknown_usage_shape');
  });

  it("reads a bare {input_tokens, output_tokens} as Anthropic's when told the provider is (thinking tokens count), as normalizeUsage does from its hint", () => {
    const bare = { input_tokens: 10, output_tokens: 2, output_tokens_details: { thinking_tokens: 1 } };
    const asAnthropic = usage(0, 0);
    const asOpenAi = usage(0, 0);
    expect(readUsageInto(bare, isAnthropicProvider('aws.bedrock.Anthropic'), asAnthropic)).toBeUndefined();
    expect(readUsageInto(bare, isAnthropicProvider('openai'), asOpenAi)).toBeUndefined();
    expect([asAnthropic.reasoning, asOpenAi.reasoning]).toEqual([1, 0]);
    expect(normalizeUsage(bare, 'anthropic')).toEqual({ ok: true, usage: asAnthropic });
    expect([isAnthropicProvider('anthropic'), isAnthropicProvider('Anthropic.Messages'), isAnthropicProvider('openai'), isAnthropicProvider(undefined), isAnthropicProvider(42)]).toEqual([true, true, false, false, false]);
  });

  it('leaves a normalizeUsage call made while it reads (from a getter of the usage object) its own result', () => {
    let inner: unknown;
    const payload = {
      get prompt_tokens() {
        inner = normalizeUsage({ input_tokens: 7, output_tokens: 1 }, 'anthropic');
        return 10;
      },
      completion_tokens: 2,
    };
    const out = usage(0, 0);
    expect(readUsageInto(payload, false, out)).toBeUndefined();
    expect(out).toEqual(usage(10, 2));
    expect(inner).toEqual({ ok: true, usage: usage(7, 1) });
  });
});
