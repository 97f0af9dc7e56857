import Anthropic from '@anthropic-ai/sdk';
import { startFakeProviders } from '@modelwatch/fake-providers';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, newModelwatch, scrape } from './__fixtures__/harness';
import { instrumentAnthropic } from './anthropic';
import { instrumentOpenAI } from './openai';
import { uninstrument } from './patch';

let fake: Awaited<ReturnType<typeof startFakeProviders>>;
beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 3 });
});
afterAll(async () => {
  await fake?.close();
});

const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('uninstrument', () => {
  it('gives an OpenAI client its own methods back, and lets another instance instrument it anew', async () => {
    const client = new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl, maxRetries: 0 });
    const own = { create: client.chat.completions.create, withOptions: client.withOptions };
    const first = newModelwatch();
    instrumentOpenAI(client, first);
    expect(client.chat.completions.create).not.toBe(own.create);

    expect(uninstrument(client)).toBe(true);
    expect(client.chat.completions.create).toBe(own.create);
    expect(client.withOptions).toBe(own.withOptions);
    expect(Object.prototype.hasOwnProperty.call(client.chat.completions, 'create')).toBe(false);
    await client.chat.completions.create(ask);
    expect(calls(await scrape(first))).toBe(0);

    const second = newModelwatch();
    instrumentOpenAI(client, second);
    await client.chat.completions.create(ask);
    expect(calls(await scrape(second))).toBe(1);
  });

  it('does the same for an Anthropic client, beta messages included', async () => {
    const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.anthropicBaseUrl, maxRetries: 0 });
    const own = { create: client.messages.create, beta: client.beta.messages.create };
    instrumentAnthropic(client, newModelwatch());
    expect(uninstrument(client)).toBe(true);
    expect(client.messages.create).toBe(own.create);
    expect(client.beta.messages.create).toBe(own.beta);
  });

  it('answers false for a client it never instrumented, or already took off', () => {
    const client = new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl });
    expect(uninstrument(client)).toBe(false);
    instrumentOpenAI(client, newModelwatch());
    expect(uninstrument(client)).toBe(true);
    expect(uninstrument(client)).toBe(false);
  });
});
