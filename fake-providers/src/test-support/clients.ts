import Anthropic from '@anthropic-ai/sdk';
// @google/genai is an ES module: its types are imported as such, the class at run time.
import type { GoogleGenAI } from '@google/genai' with { 'resolution-mode': 'import' };
import OpenAI from 'openai';
import { startFakeProviders, type FakeProviders, type FakeProvidersOptions } from '../index';

/** A fake plus the real SDK clients pointed at it (no retries unless asked). */
export interface TestRig {
  providers: FakeProviders;
  openai: OpenAI;
  anthropic: Anthropic;
  /** Gemini API mode (the SDK retries nothing unless told to). */
  gemini: GoogleGenAI;
}

export async function startRig(options: FakeProvidersOptions = {}, clientOptions: { maxRetries?: number; timeout?: number } = {}): Promise<TestRig> {
  const providers = await startFakeProviders({ timeScale: 0, ...options });
  const { GoogleGenAI: Gemini } = await import('@google/genai');
  const common = { apiKey: 'test', maxRetries: clientOptions.maxRetries ?? 0, ...(clientOptions.timeout === undefined ? {} : { timeout: clientOptions.timeout }) };
  return {
    providers,
    openai: new OpenAI({ ...common, baseURL: providers.openaiBaseUrl }),
    anthropic: new Anthropic({ ...common, baseURL: providers.anthropicBaseUrl, openTelemetry: false }),
    gemini: new Gemini({ apiKey: 'test', httpOptions: { baseUrl: providers.geminiBaseUrl, ...(clientOptions.timeout === undefined ? {} : { timeout: clientOptions.timeout }) } }),
  };
}

/** Deterministic filler of about `tokens` tokens by the fake's heuristic (4 characters each). */
export function filler(tokens: number, seed = 'policy'): string {
  const unit = `${seed} text. `;
  return unit.repeat(Math.ceil((tokens * 4) / unit.length)).slice(0, tokens * 4);
}

/** Collects an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Runs `fn` and returns what it threw (fails when it does not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}
