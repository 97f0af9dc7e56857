// Models (all present in the bundled price table) and a deterministic pool of
// AI calls shared by every implementation of the AI-call and memory suites.
import { createRequire } from 'node:module';
import { rng } from './util.mjs';

const require = createRequire(import.meta.url);

export const MODELS = [
  ['openai', 'gpt-4o-mini'],
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4.1'],
  ['openai', 'gpt-4.1-mini'],
  ['openai', 'gpt-4.1-nano'],
  ['openai', 'o3'],
  ['openai', 'o3-mini'],
  ['openai', 'o4-mini'],
  ['openai', 'gpt-5'],
  ['openai', 'gpt-5-mini'],
  ['openai', 'gpt-5-nano'],
  ['openai', 'gpt-3.5-turbo'],
  ['openai', 'gpt-4-turbo'],
  ['openai', 'o1'],
  ['anthropic', 'claude-sonnet-4-5'],
  ['anthropic', 'claude-opus-4-1'],
  ['anthropic', 'claude-haiku-4-5'],
  ['anthropic', 'claude-3-5-haiku-latest'],
  ['anthropic', 'claude-3-7-sonnet-latest'],
  ['anthropic', 'claude-opus-4-5'],
];

/** Usage in the provider's own wire shape. */
export function usageFor(provider, random) {
  const prompt = 50 + Math.floor(random() * 4000);
  const completion = 10 + Math.floor(random() * 1000);
  const cached = random() < 0.5 ? Math.floor(prompt * random() * 0.8) : 0;
  if (provider === 'anthropic') {
    return { input_tokens: prompt - cached, output_tokens: completion, cache_read_input_tokens: cached, cache_creation_input_tokens: 0 };
  }
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } };
}

/**
 * `size` calls (size a power of two) cycling over the models: attributes
 * objects are shared per model (as a caller holding its client config would),
 * outcomes are distinct.
 */
export function callPool(size = 1024, seed = 7) {
  const random = rng(seed);
  const attrs = MODELS.map(([provider, model]) => ({ provider, model, operation: 'chat' }));
  const pool = [];
  for (let i = 0; i < size; i++) {
    const m = i % MODELS.length;
    const [provider] = MODELS[m];
    pool.push({ index: m, attrs: attrs[m], outcome: { durationSeconds: 0.2 + random() * random() * 12, usage: usageFor(provider, random) } });
  }
  return pool;
}

/** USD per token by model, precomputed once from the bundled table (what a naive implementation would do). */
export function priceMap() {
  const { calcPrice } = require('@pydantic/genai-prices');
  const prices = new Map();
  for (const [provider, model] of MODELS) {
    const per = (usage) => (calcPrice(usage, model, { providerId: provider })?.total_price ?? NaN) / 1e6;
    const input = per({ input_tokens: 1e6 });
    const output = per({ output_tokens: 1e6 });
    const cacheRead = per({ input_tokens: 1e6, cache_read_tokens: 1e6 });
    if (!Number.isFinite(input) || !Number.isFinite(output)) throw new Error(`no price for ${provider}/${model}`);
    prices.set(model, { input, output, cacheRead: Number.isFinite(cacheRead) ? cacheRead : input });
  }
  return prices;
}

/** Naive normalisation: inclusive input, output, cache-read tokens, as a hand-written recorder would do it. */
export function naiveTokens(provider, usage) {
  if (provider === 'anthropic') {
    const cacheRead = usage.cache_read_input_tokens ?? 0;
    return { input: usage.input_tokens + cacheRead + (usage.cache_creation_input_tokens ?? 0), output: usage.output_tokens, cacheRead };
  }
  return { input: usage.prompt_tokens, output: usage.completion_tokens, cacheRead: usage.prompt_tokens_details?.cached_tokens ?? 0 };
}
