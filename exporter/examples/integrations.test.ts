import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startFakeProviders } from '@modelwatch/fake-providers';
import { calcPrice } from '@pydantic/genai-prices';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_LANGUAGES } from '../src/test-support/example-languages';
import { parseExposition, select, type Sample } from '@modelwatch/testkit';

// The SDK examples run as a user runs them (importing the built package; as TypeScript and as plain JavaScript) against the
// fake providers, through a recording proxy: the usage each response carried is what the
// scraped metrics must add up to, exactly.
const examplesDir = fileURLToPath(new URL('.', import.meta.url));
type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
let fake: Fake;
const running: ChildProcess[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 21 });
});
afterEach(async () => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});
afterAll(async () => {
  await fake?.close();
});

interface Exchange {
  path: string;
  contentType: string;
  body: string;
}

/** A loopback proxy to the fake that keeps every response body. */
async function recordingProxy(target: string): Promise<{ url: string; exchanges: Exchange[] }> {
  const exchanges: Exchange[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection', 'accept-encoding'].includes(name))) as Record<string, string>;
    const response = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const body = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    exchanges.push({ path: req.url ?? '', contentType, body });
    const forwarded: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) forwarded[name] = value;
    });
    res.writeHead(response.status, forwarded).end(body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exchanges };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs an example until its metrics endpoint answers; returns the scraped samples. */
async function runExample(nodeArgs: string[], env: Record<string, string>): Promise<Sample[]> {
  const port = await freePort();
  const file = nodeArgs.at(-1);
  const child = spawn(process.execPath, nodeArgs, {
    cwd: examplesDir,
    env: { ...process.env, OPENAI_API_KEY: 'test-key', ANTHROPIC_API_KEY: 'test-key', ...env, PORT: String(port) },
    stdio: 'pipe',
  });
  running.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      return parseExposition(await response.text()).samples;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${file} did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** The usage a recorded response reported, read field by field from the provider's own format. */
function usageOf(exchange: Exchange): Tokens {
  const objects: Record<string, unknown>[] = exchange.contentType.includes('text/event-stream')
    ? exchange.body
        .split('\n')
        .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
        .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>)
    : [JSON.parse(exchange.body) as Record<string, unknown>];
  const usage: Record<string, number> = {};
  const details: Record<string, number> = {};
  for (const object of objects) {
    // Chat completions and Anthropic put it in `usage`; Anthropic's message_start in `message.usage`; Responses events in `response.usage`; Gemini in `usageMetadata`.
    const found = [object.usage, (object.message as { usage?: unknown } | undefined)?.usage, (object.response as { usage?: unknown } | undefined)?.usage, object.usageMetadata];
    for (const candidate of found) {
      if (typeof candidate !== 'object' || candidate === null) continue;
      for (const [field, value] of Object.entries(candidate)) {
        if (typeof value === 'number') usage[field] = value;
        else if (typeof value === 'object' && value !== null && 'cached_tokens' in value) details.cached = (value as { cached_tokens: number }).cached_tokens;
      }
    }
  }
  if ('promptTokenCount' in usage) {
    // Gemini reports thoughts outside candidatesTokenCount; they are output too.
    return { input: usage.promptTokenCount ?? 0, output: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0), cacheRead: usage.cachedContentTokenCount ?? 0, cacheWrite: 0 };
  }
  if ('prompt_tokens' in usage) return { input: usage.prompt_tokens ?? 0, output: usage.completion_tokens ?? 0, cacheRead: details.cached ?? 0, cacheWrite: 0 };
  if (exchange.path.includes('/messages')) {
    const cacheRead = usage.cache_read_input_tokens ?? 0;
    const cacheWrite = usage.cache_creation_input_tokens ?? 0;
    return { input: (usage.input_tokens ?? 0) + cacheRead + cacheWrite, output: usage.output_tokens ?? 0, cacheRead, cacheWrite };
  }
  return { input: usage.input_tokens ?? 0, output: usage.output_tokens ?? 0, cacheRead: details.cached ?? 0, cacheWrite: 0 };
}

function sum(exchanges: Exchange[]): Tokens {
  return exchanges.map(usageOf).reduce((a, b) => ({ input: a.input + b.input, output: a.output + b.output, cacheRead: a.cacheRead + b.cacheRead, cacheWrite: a.cacheWrite + b.cacheWrite }));
}

function expectRecorded(samples: Sample[], provider: string, model: string, exchanges: Exchange[], streamed: number, pricesProvider = provider): void {
  const labels = { gen_ai_provider_name: provider, gen_ai_request_model: model };
  const value = (name: string, extra: Record<string, string> = {}) => select(samples, name, { ...labels, ...extra }).reduce((n, s) => n + s.value, 0);
  expect(exchanges.length).toBeGreaterThan(0);
  expect(value('gen_ai_client_operation_duration_seconds_count', { error_type: '' })).toBe(exchanges.length);
  expect(value('gen_ai_client_operation_time_to_first_chunk_seconds_count')).toBe(streamed);
  // Every call of the examples answers with text, so each has a time per output token.
  expect(value('modelwatch_gen_ai_time_per_output_token_seconds_count')).toBe(exchanges.length);
  const tokens = sum(exchanges);
  expect(tokens.input).toBeGreaterThan(0);
  expect(tokens.output).toBeGreaterThan(0);
  expect(value('modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'input' })).toBe(tokens.input);
  expect(value('modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'output' })).toBe(tokens.output);
  expect(value('modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'cache_read' })).toBe(tokens.cacheRead);
  const price = calcPrice(
    { input_tokens: tokens.input, output_tokens: tokens.output, cache_read_tokens: tokens.cacheRead, cache_write_tokens: tokens.cacheWrite },
    model,
    { providerId: pricesProvider },
  );
  expect(value('modelwatch_gen_ai_cost_usd_total')).toBeCloseTo(price?.total_price ?? NaN, 12);
  expect(select(samples, 'modelwatch_instrumentation_errors_total').reduce((n, s) => n + s.value, 0)).toBe(0);
}

describe.each(EXAMPLE_LANGUAGES)('SDK integration examples as $language', ({ nodeArgs }) => {
  it('openai.ts records its chat call and its stream (usage included by includeStreamUsage)', async () => {
    const proxy = await recordingProxy(fake.url);
    const samples = await runExample(nodeArgs('openai.ts'), { OPENAI_BASE_URL: `${proxy.url}/openai/v1` });
    expectRecorded(samples, 'openai', 'gpt-4o-mini', proxy.exchanges, 1);
    expect(proxy.exchanges.map((e) => e.path)).toEqual(['/openai/v1/chat/completions', '/openai/v1/chat/completions']);
  });

  it('anthropic.ts records its message and the stream helper', async () => {
    const proxy = await recordingProxy(fake.url);
    const samples = await runExample(nodeArgs('anthropic.ts'), { ANTHROPIC_BASE_URL: `${proxy.url}/anthropic` });
    expectRecorded(samples, 'anthropic', 'claude-haiku-4-5', proxy.exchanges, 1);
  });

  it('google-genai.ts records its generateContent call and its stream', async () => {
    const proxy = await recordingProxy(fake.url);
    const samples = await runExample(nodeArgs('google-genai.ts'), { GEMINI_API_KEY: 'test-key', GOOGLE_GEMINI_BASE_URL: `${proxy.url}/gemini` });
    expectRecorded(samples, 'gcp.gemini', 'gemini-2.5-flash', proxy.exchanges, 1, 'google');
    expect(proxy.exchanges.map((e) => e.path)).toEqual(['/gemini/v1/models/gemini-2.5-flash:generateContent', '/gemini/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse']);
  });

  it('vercel-ai.ts records generateText on OpenAI and streamText on Anthropic through one middleware', async () => {
    const proxy = await recordingProxy(fake.url);
    const samples = await runExample(nodeArgs('vercel-ai.ts'), { OPENAI_BASE_URL: `${proxy.url}/openai/v1`, ANTHROPIC_BASE_URL: `${proxy.url}/anthropic/v1` });
    const [openai, anthropic] = [proxy.exchanges.filter((e) => e.path.startsWith('/openai/')), proxy.exchanges.filter((e) => e.path.startsWith('/anthropic/'))];
    expectRecorded(samples, 'openai', 'gpt-4o-mini', openai, 0);
    expectRecorded(samples, 'anthropic', 'claude-haiku-4-5', anthropic, 1);
  });
});
