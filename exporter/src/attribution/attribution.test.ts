import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import express from 'express';
import Fastify from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProviders } from '@modelwatch/fake-providers';
import { select, type Sample } from '@modelwatch/testkit';
import { modelwatchFastify } from '../fastify';
import { instrumentAnthropic } from '../integrations/anthropic';
import { instrumentOpenAI } from '../integrations/openai';
import { expectedCost, internalErrors, scrape } from '../integrations/__fixtures__/harness';
import { createModelwatch, type Modelwatch, type ModelwatchOptions } from '../modelwatch';
import { closeServer, listenLoopback, send } from '../test-support/http-client';

const COST = 'modelwatch_gen_ai_attributed_cost_usd_total';
const TOKENS = 'modelwatch_gen_ai_attributed_tokens_total';
const DROPPED = 'modelwatch_dropped_series_total';

type Fake = Awaited<ReturnType<typeof startFakeProviders>>;
let fake: Fake;
const servers: Server[] = [];

beforeAll(async () => {
  fake = await startFakeProviders({ timeScale: 0, seed: 23 });
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map(closeServer));
  await fake?.close();
});

const MODEL = 'gpt-4o-mini';
const USAGE = { prompt_tokens: 1200, completion_tokens: 80, total_tokens: 1280 };
const withUsage = { headers: { 'x-fake-usage': JSON.stringify(USAGE) } };
const chat = { model: MODEL, messages: [{ role: 'user' as const, content: 'Summarise the ticket.' }] };
const callCost = () => expectedCost('openai', MODEL, { input: 1200, output: 80 });

function setup(options: ModelwatchOptions['attribution'] = true): { mw: Modelwatch; openai: OpenAI } {
  const mw = createModelwatch({ defaultMetrics: false, exemplars: false, attribution: options });
  const openai = instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl, maxRetries: 0 }), mw);
  return { mw, openai };
}

/** Attributed cost by `tenant/feature`. */
function costs(samples: readonly Sample[]): Record<string, number> {
  return Object.fromEntries(select(samples, COST).map((s) => [`${s.labels.tenant}/${s.labels.feature}`, s.value]));
}

/** Costs are sums of prices × tokens: equal to the expected ones to the last few bits. */
function expectCosts(samples: readonly Sample[], expected: Record<string, number>): void {
  const actual = costs(samples);
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [key, value] of Object.entries(expected)) expect(Math.abs(actual[key]! - value)).toBeLessThanOrEqual(1e-12 * value);
}

function tokens(samples: readonly Sample[], tenant: string, feature: string): Record<string, number> {
  return Object.fromEntries(select(samples, TOKENS, { tenant, feature }).map((s) => [s.labels.gen_ai_token_type as string, s.value]));
}

function dropped(samples: readonly Sample[], metric: string): number {
  return select(samples, DROPPED, { metric_name: metric })[0]?.value ?? NaN;
}

describe('attribution with the real SDK clients', () => {
  it('books each call’s exact cost and tokens on the tenant and feature of its scope, nested scopes overriding', async () => {
    const { mw, openai } = setup();
    await mw.attribute({ tenant: 'acme', feature: 'support-bot' }, async () => {
      await openai.chat.completions.create(chat, withUsage);
      await mw.attribute({ feature: 'summariser' }, () => openai.chat.completions.create(chat, withUsage));
    });
    await openai.chat.completions.create(chat, withUsage);
    const samples = await scrape(mw);
    const one = callCost();
    expectCosts(samples, { 'acme/support-bot': one, 'acme/summariser': one, '_none/_none': one });
    expect(tokens(samples, 'acme', 'summariser')).toEqual({ input: 1200, output: 80 });
    expect(internalErrors(samples)).toEqual({});
  });

  it('books a streamed Anthropic call on the scope it started in, even when the stream is read outside it', async () => {
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, attribution: true });
    const anthropic = instrumentAnthropic(new Anthropic({ apiKey: 'test-key', baseURL: fake.anthropicBaseUrl, maxRetries: 0 }), mw);
    const stream = await mw.attribute({ tenant: 'globex', feature: 'chat' }, () =>
      anthropic.messages.create({ model: 'claude-3-5-haiku-20241022', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Hello' }] }),
    );
    let events = 0;
    for await (const _event of stream) events++;
    expect(events).toBeGreaterThan(2);
    const samples = await scrape(mw);
    const input = select(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'input' })[0]!.value;
    const output = select(samples, 'modelwatch_gen_ai_tokens_total', { gen_ai_token_type: 'output' })[0]!.value;
    expect(tokens(samples, 'globex', 'chat')).toEqual({ input, output });
    expect(costs(samples)['globex/chat']).toBeCloseTo(select(samples, 'modelwatch_gen_ai_cost_usd_total')[0]!.value, 15);
  });

  it('keeps the top spenders only: the rest fold into _other, each fold counted, the total unchanged', async () => {
    const { mw, openai } = setup({ topTenants: 2 });
    for (const tenant of ['t1', 't2', 't3', 't4']) await mw.attribute({ tenant }, () => openai.chat.completions.create(chat, withUsage));
    const samples = await scrape(mw);
    const one = callCost();
    expectCosts(samples, { 't1/_none': one, 't2/_none': one, '_other/_none': 2 * one });
    expect(dropped(samples, COST)).toBe(2);
    expect(dropped(samples, TOKENS)).toBe(2);
  });

  it('attributes every call of a client made for one feature, over the scope’s feature, under the scope’s tenant', async () => {
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, attribution: true });
    const summariser = instrumentOpenAI(new OpenAI({ apiKey: 'test-key', baseURL: fake.openaiBaseUrl, maxRetries: 0 }), mw, { feature: 'summariser' });
    await mw.attribute({ tenant: 'acme', feature: 'chat' }, () => summariser.chat.completions.create(chat, withUsage));
    expectCosts(await scrape(mw), { 'acme/summariser': callCost() });
    expect(() => instrumentOpenAI(new OpenAI({ apiKey: 'k', baseURL: fake.openaiBaseUrl }), mw, { tenant: '' })).toThrow('instrumentOpenAI: option "tenant" must be a non-empty string, got the string ""');
  });

  it('stays bounded under a million distinct tenants, none lost: the flood folds into _other', async () => {
    const mw = createModelwatch({ defaultMetrics: false, exemplars: false, attribution: true });
    const outcome = { durationSeconds: 1, usage: { prompt_tokens: 10, completion_tokens: 2 } };
    for (let i = 0; i < 1_000_000; i++) mw.recordAiCall({ provider: 'openai', model: MODEL, tenant: `user-${i}`, feature: 'chat' }, outcome);
    const samples = await scrape(mw);
    const attributed = select(samples, COST);
    // The first 50 tenants are kept; a one-off tenant never earns a place, so nothing churns.
    expect(attributed).toHaveLength(51);
    expect(attributed.at(-1)?.labels.tenant).toBe('_other');
    const total = select(samples, 'modelwatch_gen_ai_cost_usd_total')[0]!.value;
    expect(Math.abs(attributed.reduce((sum, s) => sum + s.value, 0) - total)).toBeLessThanOrEqual(1e-9 * total);
    expect(dropped(samples, COST)).toBe(1_000_000 - 50);
    expect(internalErrors(samples)).toEqual({});
  });

  it('lets a pinned tenant keep its series whatever it spends', async () => {
    const { mw, openai } = setup({ topTenants: 1, pinnedTenants: ['small-but-budgeted'] });
    await mw.attribute({ tenant: 'big' }, () => openai.chat.completions.create(chat, withUsage));
    await mw.attribute({ tenant: 'small-but-budgeted' }, () => openai.chat.completions.create(chat, withUsage));
    expect(Object.keys(costs(await scrape(mw))).sort()).toEqual(['big/_none', 'small-but-budgeted/_none']);
  });

  it('labels a keyed hash of personal tenant ids, never the id', async () => {
    const { mw, openai } = setup({ hashTenants: { salt: 'pepper' } });
    const summaries: unknown[] = [];
    mw.onAiCall((call) => summaries.push(call.tenant));
    await mw.attribute({ tenant: 'jane@example.com' }, () => openai.chat.completions.create(chat, withUsage));
    const hash = createHash('sha256').update('pepper').update('\u0000').update('jane@example.com').digest('hex').slice(0, 16);
    const exposition = await mw.metrics();
    expect(exposition).not.toContain('jane');
    expect(Object.keys(costs(await scrape(mw)))).toEqual([`${hash}/_none`]);
    expect(summaries).toEqual([hash]);
  });

  it('counts a tenant that is not a string, and books the call as unattributed', async () => {
    const { mw, openai } = setup();
    await mw.attribute({ tenant: 42 as unknown as string, feature: 'chat' }, () => openai.chat.completions.create(chat, withUsage));
    const samples = await scrape(mw);
    expect(Object.keys(costs(samples))).toEqual(['_none/chat']);
    expect(internalErrors(samples)).toEqual({ invalid_attribution: 1 });
  });
});

describe('attribution from the HTTP middleware', () => {
  async function serve(app: Parameters<typeof createServer>[1]): Promise<string> {
    const server = createServer(app);
    servers.push(server);
    return listenLoopback(server);
  }

  it('Express: reads the tenant from the request at its first AI call, through body parsing', async () => {
    const { mw, openai } = setup();
    let asked = 0;
    const app = express();
    app.use(mw.express({ attribute: (req) => (asked++, { tenant: String(req.headers['x-tenant-id']), feature: 'chat' }) }));
    app.use(express.json());
    app.post('/chat', async (_req, res) => {
      await openai.chat.completions.create(chat, withUsage);
      await openai.chat.completions.create(chat, withUsage);
      res.json({ ok: true });
    });
    app.get('/health', (_req, res) => res.send('ok'));
    const url = await serve(app);
    const response = await send(`${url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant-id': 'initech' }, body: '{"q":"hi"}' });
    expect(response.status).toBe(200);
    await send(`${url}/health`, { headers: { 'x-tenant-id': 'nobody' } });
    expectCosts(await scrape(mw), { 'initech/chat': 2 * callCost() });
    // Once per request that called a model; never for the health check.
    expect(asked).toBe(1);
  });

  it('Express: a tenant function that throws is counted, and the request is served', async () => {
    const { mw, openai } = setup();
    const app = express();
    app.use(
      mw.express({
        attribute: () => {
          throw new Error('no session');
        },
      }),
    );
    app.get('/chat', async (_req, res) => {
      await openai.chat.completions.create(chat, withUsage);
      res.send('ok');
    });
    const url = await serve(app);
    expect((await send(`${url}/chat`)).status).toBe(200);
    const samples = await scrape(mw);
    expectCosts(samples, { '_none/_none': callCost() });
    expect(internalErrors(samples)).toEqual({ invalid_attribution: 1 });
  });

  it('Fastify: attributes the calls of a route with a JSON body', async () => {
    const { mw, openai } = setup();
    const app = Fastify();
    await app.register(modelwatchFastify(mw), { attribute: (raw) => ({ tenant: raw.headers['x-tenant-id'] as string }) });
    app.post('/chat', async () => {
      await openai.chat.completions.create(chat, withUsage);
      return { ok: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = app.server.address() as { port: number };
      const response = await send(`http://127.0.0.1:${address.port}/chat`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' }, body: '{"q":"hi"}' });
      expect(response.status).toBe(200);
      expectCosts(await scrape(mw), { 'acme/_none': callCost() });
    } finally {
      await app.close();
    }
  });

  it('rejects the attribute option at setup when attribution is off, naming the fix', () => {
    const mw = createModelwatch({ defaultMetrics: false });
    expect(() => mw.express({ attribute: () => ({ tenant: 'x' }) })).toThrow(/option "attribute" needs attribution turned on: createModelwatch\(\{ attribution: true \}\)/);
  });

  it('runs mw.attribute() without attribution, warning once that nothing is attributed', async () => {
    const warnings: string[] = [];
    const mw = createModelwatch({ defaultMetrics: false, warn: (warning) => warnings.push(warning.code) });
    expect(mw.attribute({ tenant: 'a' }, () => 7)).toBe(7);
    expect(mw.attribute({ tenant: 'b' }, () => 8)).toBe(8);
    expect(warnings).toEqual(['MODELWATCH_ATTRIBUTION_OFF']);
    expect(await mw.metrics()).not.toMatch(/^modelwatch_gen_ai_attributed/m);
  });
});
