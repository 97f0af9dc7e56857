import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { startFakeProviders } from '@modelwatch/fake-providers';
import { APICallError, generateText, jsonSchema, streamText, tool, wrapLanguageModel, type LanguageModel } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../modelwatch';
import { calls, cost, expectCloseTo, expectedCost, expectTimePerOutputToken, firstChunks, internalErrors, newModelwatch, onlyErrorType, scrape, tokens } from './__fixtures__/harness';
import { modelwatchMiddleware, providerName } from './vercel-ai';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
let fake: Fake;

beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 13 });
});
afterAll(async () => {
  await fake?.close();
});

const GPT = 'gpt-4o-mini';
const CLAUDE = 'claude-haiku-4-5';
const OPENAI_USAGE = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280, prompt_tokens_details: { cached_tokens: 1000 } };
const RESPONSES_USAGE = { input_tokens: 1200, input_tokens_details: { cached_tokens: 1000 }, output_tokens: 80, total_tokens: 1280 };
const ANTHROPIC_USAGE = { input_tokens: 200, cache_read_input_tokens: 1000, cache_creation_input_tokens: 500, output_tokens: 80 };
const usageHeader = (usage: object) => ({ 'x-fake-usage': JSON.stringify(usage) });
const GPT_TOKENS = { input: 1200, output: 80, cache_read: 1000 };
const CLAUDE_TOKENS = { input: 1700, output: 80, cache_read: 1000, cache_creation: 500 };
const gpt = { gen_ai_provider_name: 'openai', gen_ai_request_model: GPT };
const claude = { gen_ai_provider_name: 'anthropic', gen_ai_request_model: CLAUDE };

const openai = () => createOpenAI({ baseURL: fake.openaiBaseUrl, apiKey: 'test-key' });
// The AI SDK's Anthropic base URL includes the API version, unlike the official SDK's.
const anthropic = () => createAnthropic({ baseURL: `${fake.anthropicBaseUrl}/v1`, apiKey: 'test-key' });
const wrap = (model: LanguageModel, mw: Modelwatch) => wrapLanguageModel({ model: model as Parameters<typeof wrapLanguageModel>[0]['model'], middleware: modelwatchMiddleware(mw) });

describe('modelwatchMiddleware: generateText', () => {
  it.each([
    ['chat completions', () => openai().chat(GPT), OPENAI_USAGE],
    ['Responses API', () => openai().responses(GPT), RESPONSES_USAGE],
  ])('records an OpenAI call through the %s with its exact tokens and cost', async (_api, model, usage) => {
    const mw = newModelwatch();
    const result = await generateText({ model: wrap(model(), mw), prompt: 'Name three colours.', headers: usageHeader(usage), maxRetries: 0 });
    expect(result.text.length).toBeGreaterThan(0);
    const samples = await scrape(mw);
    expect(calls(samples, { ...gpt, gen_ai_operation_name: 'chat', error_type: '' })).toBe(1);
    expect(tokens(samples, gpt)).toEqual(GPT_TOKENS);
    expectCloseTo(cost(samples, gpt), expectedCost('openai', GPT, { input: 1200, output: 80, cacheRead: 1000 }));
    expect(firstChunks(samples)).toBe(0);
    expectTimePerOutputToken(samples, gpt, GPT_TOKENS.output);
    expect(internalErrors(samples)).toEqual({});
  });

  it('records an Anthropic call with cache reads and writes counted into input', async () => {
    const mw = newModelwatch();
    await generateText({ model: wrap(anthropic()(CLAUDE), mw), prompt: 'Name three colours.', headers: usageHeader(ANTHROPIC_USAGE), maxRetries: 0 });
    const samples = await scrape(mw);
    expect(calls(samples, { ...claude, error_type: '' })).toBe(1);
    expect(tokens(samples, claude)).toEqual(CLAUDE_TOKENS);
    expectCloseTo(cost(samples, claude), expectedCost('anthropic', CLAUDE, { input: 1700, output: 80, cacheRead: 1000, cacheWrite: 500 }));
  });

  it('records a tool-call turn with its usage', async () => {
    const mw = newModelwatch();
    const result = await generateText({
      model: wrap(openai().chat(GPT), mw),
      prompt: 'What is the weather in Paris?',
      tools: { weather: tool({ description: 'Weather of a city', inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }) }) },
      toolChoice: 'required',
      headers: usageHeader(OPENAI_USAGE),
      maxRetries: 0,
    });
    expect(result.toolCalls).toHaveLength(1);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(tokens(samples, gpt)).toEqual(GPT_TOKENS);
  });

  it('records a 429 as rate_limited, and each of the AI SDK’s retries as a call of its own', async () => {
    const mw = newModelwatch();
    const failing = generateText({ model: wrap(openai().chat(GPT), mw), prompt: 'x', headers: { 'x-fake-fault': 'rate_limit' }, maxRetries: 1 });
    await expect(failing).rejects.toThrow();
    expect(calls(await scrape(mw), { ...gpt, error_type: 'rate_limited' })).toBe(2);
  });

  it.each([
    ['server_error', 'server_error'],
    ['overloaded', 'server_error'],
  ])('records an Anthropic %s as %s', async (fault, errorType) => {
    const mw = newModelwatch();
    await expect(generateText({ model: wrap(anthropic()(CLAUDE), mw), prompt: 'x', headers: { 'x-fake-fault': fault }, maxRetries: 0 })).rejects.toBeInstanceOf(APICallError);
    expect(onlyErrorType(await scrape(mw))).toBe(errorType);
  });

  it('records an aborted call as canceled', async () => {
    const mw = newModelwatch();
    const controller = new AbortController();
    const pending = generateText({ model: wrap(openai().chat(GPT), mw), prompt: 'x', headers: { 'x-fake-fault': 'timeout' }, abortSignal: controller.signal, maxRetries: 0 });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow();
    expect(onlyErrorType(await scrape(mw))).toBe('canceled');
  });
});

describe('modelwatchMiddleware: streamText', () => {
  it.each([
    ['OpenAI chat completions', () => openai().chat(GPT), OPENAI_USAGE, gpt, GPT_TOKENS],
    ['OpenAI Responses API', () => openai().responses(GPT), RESPONSES_USAGE, gpt, GPT_TOKENS],
    ['Anthropic', () => anthropic()(CLAUDE), ANTHROPIC_USAGE, claude, CLAUDE_TOKENS],
  ])('records a stream from %s with its time to first chunk and usage', async (_name, model, usage, labels, expected) => {
    const mw = newModelwatch();
    const result = streamText({ model: wrap(model(), mw), prompt: 'Write a haiku about fog.', headers: usageHeader(usage), maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text.length).toBeGreaterThan(0);
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('');
    expect(firstChunks(samples, labels)).toBe(1);
    expect(tokens(samples, labels)).toEqual(expected);
    expectTimePerOutputToken(samples, labels, expected.output);
  });

  it('records a stream the application aborts as canceled', async () => {
    const mw = newModelwatch();
    const controller = new AbortController();
    const result = streamText({ model: wrap(openai().chat(GPT), mw), prompt: 'x', abortSignal: controller.signal, maxRetries: 0, onError: () => {} });
    for await (const _delta of result.textStream) controller.abort();
    const samples = await scrape(mw);
    expect(onlyErrorType(samples)).toBe('canceled');
    expect(firstChunks(samples)).toBe(1);
  });

  it('records a stream cut by a dropped connection as connection_error', async () => {
    const mw = newModelwatch();
    const result = streamText({ model: wrap(anthropic()(CLAUDE), mw), prompt: 'x', headers: { 'x-fake-fault': 'disconnect' }, maxRetries: 0, onError: () => {} });
    const read = async () => {
      for await (const _delta of result.fullStream);
    };
    await read().catch(() => {});
    expect(onlyErrorType(await scrape(mw))).toBe('connection_error');
  });

  it('records a failure before the stream starts', async () => {
    const mw = newModelwatch();
    const result = streamText({ model: wrap(openai().chat(GPT), mw), prompt: 'x', headers: { 'x-fake-fault': 'rate_limit' }, maxRetries: 0, onError: () => {} });
    for await (const _part of result.fullStream);
    expect(onlyErrorType(await scrape(mw))).toBe('rate_limited');
  });
});

describe('providerName', () => {
  it.each([
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['google.generative-ai', 'gcp.gemini'],
    ['google.vertex.chat', 'gcp.vertex_ai'],
    ['amazon-bedrock', 'aws.bedrock'],
    ['azure.chat', 'azure.ai.openai'],
    ['mistral.chat', 'mistral_ai'],
    ['xai.chat', 'x_ai'],
    ['acme.chat', 'acme'],
  ])('maps %s to %s', (id, expected) => {
    expect(providerName(id)).toBe(expected);
  });
});
