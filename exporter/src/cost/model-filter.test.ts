import { calcPrice, findProvider, type MatchLogic, type Provider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { GENAI_PRICES_PROVIDER } from '../providers';
import { mayHaveBundledPrice } from './model-filter';

/**
 * Every provider in the bundled table (findProvider cannot list them). A provider added by a new
 * table is still reached through the model-name lookup (no provider id) and through fallbacks.
 */
const PROVIDER_IDS = [
  'anthropic', 'arcee', 'avian', 'aws', 'azure', 'baseten', 'cerebras', 'cloudflare', 'cohere', 'cursor', 'deepseek',
  'doubleword', 'fireworks', 'github-copilot', 'google', 'groq', 'huggingface_cerebras', 'huggingface_fireworks-ai',
  'huggingface_groq', 'huggingface_hyperbolic', 'huggingface_nebius', 'huggingface_novita', 'huggingface_nscale',
  'huggingface_ovhcloud', 'huggingface_publicai', 'huggingface_sambanova', 'huggingface_together', 'minimax', 'mistral',
  'modal', 'moonshotai', 'novita', 'openai', 'openrouter', 'ovhcloud', 'perplexity', 'quicksilverpro', 'together',
  'typesafe', 'voyageai', 'x-ai', 'zai', 'zhipuai',
];

/** Names no table prices: the shape of a flood of new names, and near misses. */
const UNKNOWN = [
  'model-3f9k2m1x0q', 'model-zz', 'my-fine-tune', 'gpt', 'claude', 'llama-99b', 'x', '', ' ', '-', '/', 'o', 'o2', 'o5-mini',
  'gpt-4o-turbo-ultra', 'claude-9-opus', 'gemini-99-pro', 'ft:gpt-4o-mini:acme::abc123', 'unknown/gpt-4o', 'openai/',
];

/** Names that stress the lookup's own rules: case, spaces, provider prefixes, dated snapshots, regex-only models. */
const TRICKY = [
  'gpt-4o', 'GPT-4O', 'Gpt-4o-Mini', '  gpt-4o  ', '\tclaude-3-5-haiku-latest\n', 'openai/gpt-4o', 'anthropic/claude-3-5-sonnet',
  'litellm/gpt-4o', 'gpt-4o-2024-08-06', 'gpt-4o-20240806', 'gpt-4o-mini-2024-07-18', 'claude-3-5-sonnet-20241022',
  'claude-sonnet-4-20250514', 'claude-sonnet-4-2025-05-14', 'claude-3-7-sonnet-20250219:beta', 'o1', 'O3-MINI', 'o4-mini-2025-04-16',
  'gpt-5.6-luna-2026-01-15', 'gpt-5-6-sol-2026-02-01', 'gpt-6-astra-2026-03-01', 'gpt-6-sol-26-03-01', 'composer-2.5[fast=true]',
  'composer-2.5[fast=false]', 'grok-4.5[fast=false]', 'grok-4.6[fast=true]', 'mistral-large-latest', 'labs-devstral-small',
  'mistralai/mistral-large', 'accounts/fireworks/models/llama-v3p1-8b-instruct', 'gemini-2.5-pro', 'models/gemini-2.5-flash',
  'gemini-2.5-flash-preview-05-20', 'amazon.nova-pro-v1:0', 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
  'anthropic.claude-3-haiku-20240307-v1:0', 'deepseek-chat', 'deepseek-r1-distill', 'command-r-plus', 'whisper-1',
];

/** Names a matcher implies: its literals, their case variants, and names around them. */
function namesOf(logic: MatchLogic, out: Set<string>): void {
  const around = (literal: string, before: string, after: string) => {
    for (const name of [literal, `${before}${literal}${after}`, literal.toUpperCase(), ` ${literal} `, `openai/${literal}`, `${literal}-20250101`, `${literal}-2025-01-01`]) {
      out.add(name);
    }
  };
  if ('or' in logic) logic.or.forEach((part) => namesOf(part, out));
  else if ('and' in logic) logic.and.forEach((part) => namesOf(part, out));
  else if ('equals' in logic) around(logic.equals, '', '-x');
  else if ('starts_with' in logic) around(logic.starts_with, '', '-x');
  else if ('ends_with' in logic) around(logic.ends_with, 'x-', '');
  else if ('contains' in logic) around(logic.contains, 'x-', '-x');
}

function namesOfProvider(provider: Provider, out: Set<string>): void {
  for (const model of provider.models) {
    out.add(model.id);
    out.add(model.id.toUpperCase());
    namesOf(model.match, out);
  }
}

function providerById(id: string): Provider {
  const provider = findProvider({ providerId: id });
  expect(provider?.id, `provider ${id} in the bundled table`).toBe(id);
  return provider as Provider;
}

/** The invariant: whatever calcPrice prices, the filter lets through. Returns the names it rejected. */
function expectNoFalseMiss(names: Iterable<string>, providerId: string | undefined): string[] {
  const rejected: string[] = [];
  for (const name of names) {
    const priced = calcPrice({ input_tokens: 0, output_tokens: 0 }, name, providerId === undefined ? undefined : { providerId });
    const passes = mayHaveBundledPrice(name, providerId);
    if (priced !== null) expect(passes, `${providerId ?? '(by model name)'} prices ${JSON.stringify(name)} as ${priced.model.id}`).toBe(true);
    if (!passes) rejected.push(name);
  }
  return rejected;
}

describe('mayHaveBundledPrice', () => {
  const everyName = new Set([...UNKNOWN, ...TRICKY]);
  for (const id of PROVIDER_IDS) namesOfProvider(providerById(id), everyName);

  it.each(PROVIDER_IDS)('lets through every name calcPrice prices under provider %s', (id) => {
    const provider = providerById(id);
    const names = new Set([...UNKNOWN, ...TRICKY]);
    namesOfProvider(provider, names);
    for (const fallback of provider.fallback_model_providers ?? []) namesOfProvider(providerById(fallback), names);
    const rejected = expectNoFalseMiss(names, id);
    // The filter does its job: the unknown names are answered without calcPrice.
    expect(rejected).toEqual(expect.arrayContaining(['model-3f9k2m1x0q', 'my-fine-tune']));
  });

  it('lets through every name calcPrice prices by model name alone (no provider id)', () => {
    const rejected = expectNoFalseMiss(everyName, undefined);
    expect(rejected).toEqual(expect.arrayContaining(['model-3f9k2m1x0q', 'my-fine-tune', 'x', '']));
  });

  it('lets through what calcPrice prices under provider ids it does not know or handles itself', () => {
    for (const id of ['no-such-provider', 'OpenAI', ' openai ', 'litellm', 'LiteLLM', '']) expectNoFalseMiss(everyName, id);
  });

  it('rejects unknown names for every provider Modelwatch maps', () => {
    for (const id of new Set(GENAI_PRICES_PROVIDER.values())) {
      for (const name of ['model-3f9k2m1x0q', 'MODEL-ABC', 'acme-internal-7b']) expect(mayHaveBundledPrice(name, id), `${id} ${name}`).toBe(false);
    }
  });

  it('leaves what calcPrice rewrites or handles itself to calcPrice', () => {
    // A dated snapshot is also looked up with its date rewritten; LiteLLM ids carry their provider in the name.
    expect(mayHaveBundledPrice('model-3f9k2m1x0q-20250101', 'openai')).toBe(true);
    expect(mayHaveBundledPrice('model-3f9k2m1x0q', 'litellm')).toBe(true);
    expect(mayHaveBundledPrice(42, 'openai')).toBe(true);
  });
});
