/** Shared by the SDK integration tests: scraping a Modelwatch and the expected cost of a call. */
import { createServer } from 'node:net';
import { calcPrice } from '@pydantic/genai-prices';
import { expect } from 'vitest';
import { createModelwatch, type Modelwatch } from '../../modelwatch';
import { histogramOf, parseExposition, select, seriesOf, type Labels, type Sample } from '@modelwatch/testkit';

export const DURATION = 'gen_ai_client_operation_duration_seconds';
export const TTFC = 'gen_ai_client_operation_time_to_first_chunk_seconds';
export const TIME_PER_OUTPUT_TOKEN = 'modelwatch_gen_ai_time_per_output_token_seconds';
export const TOKENS = 'modelwatch_gen_ai_tokens_total';
export const COST = 'modelwatch_gen_ai_cost_usd_total';
export const ERRORS = 'modelwatch_instrumentation_errors_total';

export function newModelwatch(): Modelwatch {
  return createModelwatch({ defaultMetrics: false, exemplars: false });
}

export async function scrape(mw: Modelwatch): Promise<Sample[]> {
  return parseExposition(await mw.metrics()).samples;
}

/** Calls recorded with these labels, over every error type unless one is given. */
export function calls(samples: readonly Sample[], labels: Labels = {}): number {
  return select(samples, `${DURATION}_count`, labels).reduce((sum, s) => sum + s.value, 0);
}

/** Streaming calls whose time to first chunk was recorded. */
export function firstChunks(samples: readonly Sample[], labels: Labels = {}): number {
  return select(samples, `${TTFC}_count`, labels).reduce((sum, s) => sum + s.value, 0);
}

/** Calls whose time per output token was recorded. */
export function timedTokenCalls(samples: readonly Sample[], labels: Labels = {}): number {
  return select(samples, `${TIME_PER_OUTPUT_TOKEN}_count`, labels).reduce((sum, s) => sum + s.value, 0);
}

/**
 * Checks the time per output token of the one successful call with these labels against the
 * call's own duration and time to first chunk in the same scrape.
 */
export function expectTimePerOutputToken(samples: readonly Sample[], labels: { gen_ai_provider_name: string; gen_ai_request_model: string }, outputTokens: number): void {
  expect(seriesOf(samples, TIME_PER_OUTPUT_TOKEN)).toEqual([{ gen_ai_operation_name: 'chat', ...labels }]);
  const perToken = histogramOf(samples, TIME_PER_OUTPUT_TOKEN, labels);
  expect(perToken.count).toBe(1);
  const duration = histogramOf(samples, DURATION, { ...labels, error_type: '' }).sum;
  const [firstChunk] = select(samples, `${TTFC}_sum`, labels);
  const expected = firstChunk === undefined ? duration / outputTokens : (duration - firstChunk.value) / (outputTokens - 1);
  expect(perToken.sum).toBeCloseTo(expected, 12);
}

/** `modelwatch_gen_ai_tokens_total` by token type; types at 0 are left out. */
export function tokens(samples: readonly Sample[], labels: Labels = {}): Record<string, number> {
  const found: Record<string, number> = {};
  for (const s of select(samples, TOKENS, labels).filter((t) => t.value > 0)) found[s.labels.gen_ai_token_type as string] = (found[s.labels.gen_ai_token_type as string] ?? 0) + s.value;
  return found;
}

export function cost(samples: readonly Sample[], labels: Labels = {}): number | undefined {
  const found = select(samples, COST, labels);
  return found.length === 0 ? undefined : found.reduce((sum, s) => sum + s.value, 0);
}

/** Failures inside Modelwatch, by reason. */
export function internalErrors(samples: readonly Sample[]): Record<string, number> {
  return Object.fromEntries(select(samples, ERRORS).filter((s) => s.value > 0).map((s) => [s.labels.reason as string, s.value]));
}

/** The one recorded call's error type ('' for success); fails unless exactly one call was recorded. */
export function onlyErrorType(samples: readonly Sample[]): string {
  const recorded = select(samples, `${DURATION}_count`).filter((s) => s.value > 0);
  expect(recorded.map((s) => s.value)).toEqual([1]);
  return recorded[0]?.labels.error_type as string;
}

export interface ExpectedUsage {
  /** All input tokens, cached ones included. */
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

/** The cost genai-prices itself computes for this usage: what the recorded cost must equal. */
export function expectedCost(providerId: string, model: string, usage: ExpectedUsage): number {
  const price = calcPrice(
    { input_tokens: usage.input, output_tokens: usage.output, cache_read_tokens: usage.cacheRead ?? 0, cache_write_tokens: usage.cacheWrite ?? 0 },
    model,
    { providerId },
  );
  if (!price) throw new Error(`genai-prices has no price for ${providerId} ${model}`);
  return price.total_price;
}

export function expectCloseTo(actual: number | undefined, expected: number): void {
  expect(actual).toBeTypeOf('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected) + 1e-15);
}

/** A loopback port nothing listens on (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits until `check` passes (for what ends on a later turn, such as an abort reaching the socket). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
