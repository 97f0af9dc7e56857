import { findProvider } from '@pydantic/genai-prices';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NormalizedUsage } from '../ai/usage';
import { GEN_AI_PROVIDER } from '@modelwatch/conventions';
import { genaiPrices } from './genai-prices';
import { PRICE_CACHE_LIMIT, PriceBook, type PriceOverride } from './price-book';

// A pass-through spy, so tests can tell the precomputed path (no calcPrice call) from the calcPrice path.
vi.mock('./genai-prices', async () => {
  const original = await vi.importActual<typeof import('@pydantic/genai-prices')>('@pydantic/genai-prices');
  const table = { ...original, calcPrice: vi.fn(original.calcPrice) };
  return { genaiPrices: () => table };
});
const calcPrice = genaiPrices().calcPrice;

afterEach(() => {
  vi.mocked(calcPrice).mockClear();
  vi.useRealTimers();
});

function usage(input: number, output: number, cacheRead = 0, cacheCreation = 0, reasoning = 0): NormalizedUsage {
  return { input, output, cacheRead, cacheCreation, reasoning };
}

/** calcPrice itself, with the usage mapping PriceBook uses: the reference every fast-path cost must equal. */
function reference(providerId: string, model: string, u: NormalizedUsage): number | undefined {
  const result = calcPrice(
    { input_tokens: u.input, cache_read_tokens: u.cacheRead, cache_write_tokens: u.cacheCreation, output_tokens: u.output, output_reasoning_tokens: u.reasoning },
    model,
    { providerId },
  );
  return result?.total_price;
}

function expectRelativelyClose(actual: number | undefined, expected: number | undefined, context: string): void {
  expect(actual, context).toBeTypeOf('number');
  expect(expected, context).toBeTypeOf('number');
  const tolerance = 1e-12 * Math.abs(expected as number) + 1e-18;
  expect(Math.abs((actual as number) - (expected as number)), context).toBeLessThanOrEqual(tolerance);
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Realistic random usage: inputs on both sides of the 128k/200k/272k tiers, caches and reasoning as subsets. */
function randomUsage(next: () => number, maxInput: number): NormalizedUsage {
  const input = Math.floor(next() * maxInput);
  const cacheRead = Math.floor(next() * next() * input);
  const cacheCreation = Math.floor(next() * (input - cacheRead) * 0.5);
  const output = Math.floor(next() * 40_000);
  const reasoning = Math.floor(next() * output);
  return usage(input, output, cacheRead, cacheCreation, reasoning);
}

describe('PriceBook.costOf with bundled prices', () => {
  const book = new PriceBook();

  it.each([
    // 6,000 uncached × $0.15 + 4,000 cached × $0.075 + 500 output × $0.60, per million.
    { provider: GEN_AI_PROVIDER.openai, model: 'gpt-4o-mini', call: usage(10_000, 500, 4_000), cost: 0.0015 },
    // 10,000 uncached × $3 + 30,000 read × $0.30 + 10,000 written × $3.75 + 2,000 output × $15.
    { provider: GEN_AI_PROVIDER.anthropic, model: 'claude-sonnet-4-5', call: usage(50_000, 2_000, 30_000, 10_000), cost: 0.1065 },
    // Dated model name resolves to the same price.
    { provider: GEN_AI_PROVIDER.anthropic, model: 'claude-sonnet-4-5-20250929', call: usage(50_000, 2_000, 30_000, 10_000), cost: 0.1065 },
    // 10,000 uncached × $0.30 + 10,000 cached × $0.03 + 1,000 output (600 of them thoughts) × $2.50.
    { provider: GEN_AI_PROVIDER.gcpGemini, model: 'gemini-2.5-flash', call: usage(20_000, 1_000, 10_000, 0, 600), cost: 0.0058 },
    // Claude on Vertex AI: priced through genai-prices' google → anthropic fallback.
    { provider: GEN_AI_PROVIDER.gcpVertexAi, model: 'claude-sonnet-4-5', call: usage(100_000, 0), cost: 0.3 },
    // o3's price list is dated (cut on 2025-06-10); the current price is $2 / $0.50 / $8.
    { provider: GEN_AI_PROVIDER.openai, model: 'o3', call: usage(10_000, 1_000, 2_000), cost: 0.016 + 0.001 + 0.008 },
    // Embeddings have no output price.
    { provider: GEN_AI_PROVIDER.openai, model: 'text-embedding-3-small', call: usage(1_000_000, 0), cost: 0.02 },
  ])('prices $model from $provider exactly', ({ provider, model, call, cost }) => {
    expect(book.costOf(provider, model, call)).toBeCloseTo(cost, 12);
  });

  it('charges the per-request fee of models priced per request', () => {
    // Perplexity sonar: $12 per thousand requests plus $1 per million tokens each way.
    expect(book.costOf('perplexity', 'sonar', usage(0, 0))).toBeCloseTo(0.012, 12);
    expect(book.costOf('perplexity', 'sonar', usage(1_000, 1_000))).toBeCloseTo(0.014, 12);
  });

  it('prices reasoning at the output rate unless the table prices it separately', () => {
    // sonar-deep-research: output $8, reasoning $3 per million.
    expect(book.costOf('perplexity', 'sonar-deep-research', usage(0, 1_000_000, 0, 0, 600_000))).toBeCloseTo(3.2 + 1.8, 12);
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(0, 1_000_000, 0, 0, 600_000))).toBeCloseTo(0.6, 12);
  });

  it('switches to the long-context tier once input passes 200k tokens', () => {
    const model = 'claude-sonnet-4-5';
    // At the tier start the base price still applies; one token past it, every rate doubles or more.
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, model, usage(200_000, 1_000))).toBeCloseTo(0.6 + 0.015, 12);
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, model, usage(250_000, 1_000))).toBeCloseTo(1.5 + 0.0225, 12);
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, model, usage(250_000, 1_000, 100_000, 50_000))).toBeCloseTo(
      (100_000 * 6 + 100_000 * 0.6 + 50_000 * 7.5 + 1_000 * 22.5) / 1e6,
      12,
    );
    expect(book.costOf(GEN_AI_PROVIDER.gcpGemini, 'gemini-2.5-pro', usage(300_000, 2_000))).toBeCloseTo((300_000 * 2.5 + 2_000 * 15) / 1e6, 12);
  });

  it('returns undefined for a model the table does not know, and for a known model under another provider', () => {
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'my-finetune-that-does-not-exist', usage(100, 10))).toBeUndefined();
    expect(book.costOf('acme-gateway', 'acme-model-7b', usage(100, 10))).toBeUndefined();
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'claude-sonnet-4-5', usage(100, 10))).toBeUndefined();
  });

  it('matches by model name alone when the provider name is not known', () => {
    expect(book.costOf('my-gateway', 'gpt-4o-mini', usage(10_000, 500, 4_000))).toBeCloseTo(0.0015, 12);
  });

  it('uses a provider name that is a genai-prices provider id as is', () => {
    const expected = reference('openrouter', 'anthropic/claude-sonnet-4.5', usage(10_000, 100));
    expectRelativelyClose(book.costOf('openrouter', 'anthropic/claude-sonnet-4.5', usage(10_000, 100)), expected, 'openrouter');
  });

  it.each([
    { name: 'cache reads above input', call: usage(10, 1, 11), tiered: usage(300_000, 1, 300_001) },
    { name: 'cache reads and writes above input', call: usage(10, 1, 5, 6), tiered: usage(300_000, 1, 200_000, 100_001) },
    { name: 'reasoning above output', call: usage(10, 1, 0, 0, 2), tiered: usage(300_000, 1, 0, 0, 2) },
    { name: 'a negative count', call: usage(-1, 0), tiered: usage(300_000, -1) },
    { name: 'a NaN count', call: usage(NaN, 1), tiered: usage(300_000, NaN) },
    { name: 'an infinite input', call: usage(Infinity, 1), tiered: usage(Infinity, 1, 300_000) },
    { name: 'an infinite output', call: usage(10, Infinity), tiered: usage(300_000, Infinity) },
  ])('returns undefined rather than a wrong number for usage with $name', ({ call, tiered }) => {
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', call)).toBeUndefined();
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', tiered)).toBeUndefined();
  });
});

describe('PriceBook precomputed rates', () => {
  const MODELS: ReadonlyArray<readonly [provider: string, model: string, genaiPricesProvider: string]> = [
    [GEN_AI_PROVIDER.openai, 'gpt-4o-mini', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-4o', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-4.1', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-4.1-mini', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-4.1-nano', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-5', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-5-mini', 'openai'],
    [GEN_AI_PROVIDER.openai, 'gpt-5.4', 'openai'],
    [GEN_AI_PROVIDER.openai, 'o3', 'openai'],
    [GEN_AI_PROVIDER.openai, 'o4-mini', 'openai'],
    [GEN_AI_PROVIDER.openai, 'text-embedding-3-small', 'openai'],
    [GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', 'anthropic'],
    [GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-6', 'anthropic'],
    [GEN_AI_PROVIDER.anthropic, 'claude-opus-4-1', 'anthropic'],
    [GEN_AI_PROVIDER.anthropic, 'claude-haiku-4-5', 'anthropic'],
    [GEN_AI_PROVIDER.anthropic, 'claude-3-5-haiku-latest', 'anthropic'],
    [GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-20250514', 'anthropic'],
    [GEN_AI_PROVIDER.gcpGemini, 'gemini-2.5-pro', 'google'],
    [GEN_AI_PROVIDER.gcpGemini, 'gemini-2.5-flash', 'google'],
    [GEN_AI_PROVIDER.gcpGemini, 'gemini-2.0-flash', 'google'],
    [GEN_AI_PROVIDER.gcpVertexAi, 'gemini-1.5-pro', 'google'],
    [GEN_AI_PROVIDER.gcpVertexAi, 'claude-sonnet-4-5', 'google'],
    [GEN_AI_PROVIDER.awsBedrock, 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws'],
    [GEN_AI_PROVIDER.awsBedrock, 'amazon.nova-pro-v1:0', 'aws'],
    [GEN_AI_PROVIDER.azureAiOpenai, 'gpt-4o', 'azure'],
    [GEN_AI_PROVIDER.mistralAi, 'mistral-large-latest', 'mistral'],
    [GEN_AI_PROVIDER.xAi, 'grok-4', 'x-ai'],
    [GEN_AI_PROVIDER.xAi, 'grok-3-mini', 'x-ai'],
    [GEN_AI_PROVIDER.groq, 'llama-3.3-70b-versatile', 'groq'],
    [GEN_AI_PROVIDER.deepseek, 'deepseek-chat', 'deepseek'],
    [GEN_AI_PROVIDER.cohere, 'command-r-plus', 'cohere'],
    ['perplexity', 'sonar', 'perplexity'],
    ['perplexity', 'sonar-deep-research', 'perplexity'],
  ];

  it.each(MODELS)('equal calcPrice for %s %s over random usages on both sides of any tier', (provider, model, genaiPricesProvider) => {
    const book = new PriceBook();
    const next = random(model.length * 7919);
    for (let i = 0; i < 300; i++) {
      const call = randomUsage(next, i % 2 === 0 ? 150_000 : 600_000);
      expectRelativelyClose(book.costOf(provider, model, call), reference(genaiPricesProvider, model, call), `${model} ${JSON.stringify(call)}`);
    }
  });

  it('equal calcPrice for every bundled model of the mapped providers', () => {
    const book = new PriceBook();
    const next = random(42);
    const providers = ['openai', 'anthropic', 'google', 'aws', 'azure', 'mistral', 'x-ai', 'groq', 'deepseek', 'cohere', 'perplexity'];
    let checked = 0;
    for (const providerId of providers) {
      for (const { id } of findProvider({ providerId })?.models ?? []) {
        // Only ids that resolve to their own entry (some ids are not matched by their own match rules).
        if (calcPrice({ input_tokens: 0 }, id, { providerId })?.model.id !== id) continue;
        for (let i = 0; i < 6; i++) {
          const call = randomUsage(next, i % 2 === 0 ? 100_000 : 600_000);
          expectRelativelyClose(book.costOf(providerId, id, call), reference(providerId, id, call), `${providerId} ${id} ${JSON.stringify(call)}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('calls calcPrice only to resolve a model, not per call, below its first tier', () => {
    const book = new PriceBook();
    book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(1, 1));
    book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', usage(1, 1));
    book.costOf(GEN_AI_PROVIDER.openai, 'o3', usage(1, 1));
    vi.mocked(calcPrice).mockClear();
    for (let i = 0; i < 1_000; i++) {
      book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(i * 100, i, i * 10));
      book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', usage(i * 100, i, i * 10, i));
      book.costOf(GEN_AI_PROVIDER.openai, 'o3', usage(i * 100, i, i * 10, 0, i));
    }
    expect(calcPrice).not.toHaveBeenCalled();
    book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', usage(200_001, 1));
    expect(calcPrice).toHaveBeenCalledTimes(1);
  });

  it('calls calcPrice per call for prices that depend on the time of day', () => {
    const book = new PriceBook();
    book.costOf(GEN_AI_PROVIDER.deepseek, 'deepseek-chat', usage(1, 1));
    vi.mocked(calcPrice).mockClear();
    book.costOf(GEN_AI_PROVIDER.deepseek, 'deepseek-chat', usage(1_000, 100));
    expect(calcPrice).toHaveBeenCalledTimes(1);
  });

  it('moves to a dated price change when its date arrives', () => {
    // gemini-3.6-flash doubles its price on 2027-01-01 (0.75 → 1.50 input, 3.75 → 7.50 output).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-31T23:59:59Z'));
    const book = new PriceBook();
    expect(book.costOf(GEN_AI_PROVIDER.gcpGemini, 'gemini-3.6-flash', usage(1_000_000, 1_000_000))).toBeCloseTo(4.5, 12);
    vi.setSystemTime(new Date('2027-01-01T00:00:01Z'));
    expect(book.costOf(GEN_AI_PROVIDER.gcpGemini, 'gemini-3.6-flash', usage(1_000_000, 1_000_000))).toBeCloseTo(9, 12);
    expect(book.cacheSize).toBe(1);
  });

  it('keeps the tier of a dated price until the date that removes it', () => {
    // claude-sonnet-4-6 had a 200k tier until 2026-03-13, flat pricing after.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-12T12:00:00Z'));
    const book = new PriceBook();
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-6', usage(300_000, 0))).toBeCloseTo(1.8, 12);
    vi.setSystemTime(new Date('2026-03-13T00:00:00Z'));
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-6', usage(300_000, 0))).toBeCloseTo(0.9, 12);
  });

  it('treats a calcPrice error as unpriced instead of throwing', () => {
    const book = new PriceBook();
    vi.mocked(calcPrice).mockImplementationOnce(() => {
      throw new Error('corrupt price data');
    });
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o', usage(10, 1))).toBeUndefined();

    book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', usage(10, 1));
    vi.mocked(calcPrice).mockImplementationOnce(() => {
      throw new Error('corrupt price data');
    });
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', usage(300_000, 1))).toBeUndefined();
  });
});

describe('PriceBook cache', () => {
  it('stays bounded under 20k distinct unknown models and still answers correctly past the bound', () => {
    const book = new PriceBook();
    // Dated names: the filter leaves them to calcPrice, so each miss is cached.
    for (let i = 0; i < 20_000; i++) {
      expect(book.costOf('acme-gateway', `unknown-model-${i}-20250101`, usage(10, 1))).toBeUndefined();
    }
    expect(book.cacheSize).toBe(PRICE_CACHE_LIMIT);
    // A model first seen after the cache filled up is priced without being kept.
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(10_000, 500, 4_000))).toBeCloseTo(0.0015, 12);
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(10_000, 500, 4_000))).toBeCloseTo(0.0015, 12);
    expect(book.cacheSize).toBe(PRICE_CACHE_LIMIT);
  });

  it('answers names the table certainly lacks without calcPrice, past the cache bound too', () => {
    const book = new PriceBook();
    for (let i = 0; i < PRICE_CACHE_LIMIT + 1_000; i++) {
      expect(book.priceOf(i % 2 === 0 ? GEN_AI_PROVIDER.openai : GEN_AI_PROVIDER.anthropic, `model-${i.toString(36)}`)).toBeNull();
      expect(book.priceOf('acme-gateway', `acme-model-${i}`)).toBeNull();
    }
    expect(calcPrice).not.toHaveBeenCalled();
    // Names it may know still go to calcPrice, which decides.
    expect(book.priceOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini-but-new')).toBeNull();
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'GPT-4O-MINI', usage(10_000, 500, 4_000))).toBeCloseTo(0.0015, 12);
    expect(calcPrice).toHaveBeenCalled();
  });

  it('caches a miss once per provider and model', () => {
    const book = new PriceBook();
    book.costOf(GEN_AI_PROVIDER.openai, 'nope-20250101', usage(1, 1));
    book.costOf(GEN_AI_PROVIDER.openai, 'nope-20250101', usage(1, 1));
    book.costOf(GEN_AI_PROVIDER.anthropic, 'nope-20250101', usage(1, 1));
    expect(calcPrice).toHaveBeenCalledTimes(2);
    expect(book.cacheSize).toBe(2);
  });

  it('leaves names the table certainly lacks out of the cache, so they never crowd out the names that needed calcPrice', () => {
    const book = new PriceBook();
    for (let i = 0; i < PRICE_CACHE_LIMIT + 1_000; i++) book.costOf(GEN_AI_PROVIDER.openai, `model-${i}`, usage(1, 1));
    expect(book.cacheSize).toBe(0);
    book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(1, 1));
    vi.mocked(calcPrice).mockClear();
    book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(1, 1));
    expect(calcPrice).not.toHaveBeenCalled();
    expect(book.cacheSize).toBe(1);
  });
});

describe('PriceBook overrides', () => {
  const negotiated: PriceOverride = { provider: GEN_AI_PROVIDER.openai, model: 'gpt-4o-mini', inputPerMTok: 0.1, outputPerMTok: 0.4, cacheReadPerMTok: 0.01 };

  it('win over the bundled price for their provider only', () => {
    const book = new PriceBook({ overrides: [negotiated] });
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(10_000, 500, 4_000))).toBeCloseTo((6_000 * 0.1 + 4_000 * 0.01 + 500 * 0.4) / 1e6, 12);
    expect(book.costOf(GEN_AI_PROVIDER.azureAiOpenai, 'gpt-4o-mini', usage(10_000, 500, 4_000))).toBeCloseTo(0.0015, 12);
  });

  it('without a provider match every provider, and a provider-specific one wins over it', () => {
    const anyProvider: PriceOverride = { model: 'gpt-4o-mini', inputPerMTok: 1, outputPerMTok: 2 };
    const book = new PriceBook({ overrides: [anyProvider, negotiated] });
    expect(book.costOf(GEN_AI_PROVIDER.azureAiOpenai, 'gpt-4o-mini', usage(1_000_000, 1_000_000))).toBeCloseTo(3, 12);
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(1_000_000, 1_000_000))).toBeCloseTo(0.5, 12);
  });

  it('charge cache reads and writes at the input price unless given, reasoning at the output price', () => {
    const book = new PriceBook({ overrides: [{ model: 'in-house-llm', inputPerMTok: 2, outputPerMTok: 6 }] });
    expect(book.costOf('self-hosted', 'in-house-llm', usage(1_000_000, 1_000_000, 300_000, 200_000, 400_000))).toBeCloseTo(8, 12);
    const withCache = new PriceBook({ overrides: [{ model: 'in-house-llm', inputPerMTok: 2, outputPerMTok: 6, cacheReadPerMTok: 0.2, cacheWritePerMTok: 2.5 }] });
    expect(withCache.costOf('self-hosted', 'in-house-llm', usage(1_000_000, 0, 300_000, 200_000))).toBeCloseTo(1 + 0.06 + 0.5, 12);
  });

  it('price models past any bundled tier linearly', () => {
    const book = new PriceBook({ overrides: [{ model: 'claude-sonnet-4-5', inputPerMTok: 3, outputPerMTok: 15 }] });
    expect(book.costOf(GEN_AI_PROVIDER.anthropic, 'claude-sonnet-4-5', usage(1_000_000, 0))).toBeCloseTo(3, 12);
  });

  it('are the only prices with bundledPrices false', () => {
    const book = new PriceBook({ overrides: [negotiated], bundledPrices: false });
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o-mini', usage(1_000_000, 0))).toBeCloseTo(0.1, 12);
    expect(book.costOf(GEN_AI_PROVIDER.openai, 'gpt-4o', usage(1_000_000, 0))).toBeUndefined();
    expect(book.costOf(GEN_AI_PROVIDER.azureAiOpenai, 'gpt-4o-mini', usage(1_000_000, 0))).toBeUndefined();
  });

  it('accept a free model priced at 0', () => {
    const book = new PriceBook({ overrides: [{ model: 'local-llama', inputPerMTok: 0, outputPerMTok: 0 }] });
    expect(book.costOf('ollama', 'local-llama', usage(1_000, 1_000))).toBe(0);
  });

  const INVALID: Array<{ name: string; overrides: unknown; message: string }> = [
    {
      name: 'a negative input price',
      overrides: [{ model: 'gpt-x', inputPerMTok: -1, outputPerMTok: 1 }],
      message: 'PriceBook: overrides[0] (model "gpt-x").inputPerMTok must be a finite number >= 0 (USD per million tokens), got -1',
    },
    {
      name: 'a NaN output price',
      overrides: [{ model: 'gpt-x', inputPerMTok: 1, outputPerMTok: NaN }],
      message: 'PriceBook: overrides[0] (model "gpt-x").outputPerMTok must be a finite number >= 0 (USD per million tokens), got NaN',
    },
    {
      name: 'an infinite cache read price in the second entry',
      overrides: [negotiated, { model: 'gpt-y', inputPerMTok: 1, outputPerMTok: 1, cacheReadPerMTok: Infinity }],
      message: 'PriceBook: overrides[1] (model "gpt-y").cacheReadPerMTok must be a finite number >= 0 (USD per million tokens), got Infinity',
    },
    {
      name: 'a price given as a string',
      overrides: [{ model: 'gpt-x', inputPerMTok: 1, outputPerMTok: 1, cacheWritePerMTok: '3.75' }],
      message: 'PriceBook: overrides[0] (model "gpt-x").cacheWritePerMTok must be a finite number >= 0 (USD per million tokens), got "3.75"',
    },
    {
      name: 'a missing output price',
      overrides: [{ model: 'gpt-x', inputPerMTok: 1 }],
      message: 'PriceBook: overrides[0] (model "gpt-x").outputPerMTok must be a finite number >= 0 (USD per million tokens), got undefined',
    },
    {
      name: 'an empty model',
      overrides: [{ model: '', inputPerMTok: 1, outputPerMTok: 1 }],
      message: 'PriceBook: overrides[0].model must be a non-empty string, got ""',
    },
    {
      name: 'a missing model',
      overrides: [{ inputPerMTok: 1, outputPerMTok: 1 }],
      message: 'PriceBook: overrides[0].model must be a non-empty string, got undefined',
    },
    {
      name: 'an empty provider',
      overrides: [{ provider: '', model: 'gpt-x', inputPerMTok: 1, outputPerMTok: 1 }],
      message: 'PriceBook: overrides[0] (model "gpt-x").provider must be a non-empty string or omitted, got ""',
    },
    {
      name: 'a second override for the same provider and model',
      overrides: [negotiated, { ...negotiated, inputPerMTok: 9 }],
      message: 'PriceBook: overrides[1] (model "gpt-4o-mini") repeats an earlier override for provider "openai"',
    },
    {
      name: 'a second any-provider override for the same model',
      overrides: [
        { model: 'm', inputPerMTok: 1, outputPerMTok: 1 },
        { model: 'm', inputPerMTok: 2, outputPerMTok: 2 },
      ],
      message: 'PriceBook: overrides[1] (model "m") repeats an earlier override for any provider',
    },
    { name: 'an entry that is not an object', overrides: [null], message: 'PriceBook: overrides[0] must be an object, got null' },
    { name: 'overrides that are not an array', overrides: { model: 'm' }, message: 'PriceBook: overrides must be an array' },
  ];

  it.each(INVALID)('are rejected at construction with a message naming the entry and field: $name', ({ overrides, message }) => {
    expect(() => new PriceBook({ overrides: overrides as PriceOverride[] })).toThrowError(new Error(message));
  });
});
