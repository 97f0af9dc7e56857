import { select } from '@modelwatch/testkit';
import { describe, expect, it } from 'vitest';
import { internalErrors, newModelwatch, scrape } from '../integrations/__fixtures__/harness';
import type { Modelwatch } from '../modelwatch';
import { parseCount, parseDurationMs, parseRfc3339Ms, recordRateLimitHeaders, recordRateLimits } from './rate-limits';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const SOURCE = { provider: 'openai', model: 'gpt-4o-mini' };

/** The three gauges by limit type, as scraped. */
async function gauges(mw: Modelwatch): Promise<Record<string, { remaining?: number; limit?: number; reset?: number }>> {
  const samples = await scrape(mw);
  const out: Record<string, { remaining?: number; limit?: number; reset?: number }> = {};
  for (const [field, name] of [
    ['remaining', 'modelwatch_gen_ai_rate_limit_remaining'],
    ['limit', 'modelwatch_gen_ai_rate_limit_limit'],
    ['reset', 'modelwatch_gen_ai_rate_limit_reset_timestamp_seconds'],
  ] as const) {
    for (const sample of select(samples, name)) {
      const key = `${sample.labels.gen_ai_provider_name}/${sample.labels.gen_ai_request_model}/${sample.labels.limit_type}`;
      (out[key] ??= {})[field] = sample.value;
    }
  }
  return out;
}

describe('parsing', () => {
  it.each([
    ['4999', 4999],
    [' 160000 ', 160_000],
    ['1.5', 1.5],
    ['0', 0],
    ['-1', Number.NaN],
    ['1e3', Number.NaN],
    ['0x10', Number.NaN],
    ['', Number.NaN],
    ['1.2.3', Number.NaN],
    ['.', Number.NaN],
    ['lots', Number.NaN],
  ])('count %j → %d', (text, value) => {
    expect(parseCount(text)).toBe(value);
  });

  it.each([
    ['20ms', 20],
    ['1s', 1000],
    ['17.28s', 17_280],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['1.5µs', 0.0015],
    ['250ns', 0.00025],
    ['2', 2000],
    ['0', 0],
    ['', Number.NaN],
    ['6 minutes', Number.NaN],
    ['s', Number.NaN],
    ['5d', Number.NaN],
    ['-1s', Number.NaN],
    ['1h2m3.5', Number.NaN],
  ])('OpenAI duration %j → %d ms', (text, ms) => {
    if (Number.isNaN(ms)) expect(parseDurationMs(text)).toBeNaN();
    else expect(parseDurationMs(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    ['2026-01-01T00:00:30Z', NOW + 30_000],
    ['2026-01-01T00:00:30.250Z', NOW + 30_250],
    ['2026-01-01T01:00:30+01:00', NOW + 30_000],
    ['2026-01-01', Number.NaN],
    ['Thu, 01 Jan 2026 00:00:30 GMT', Number.NaN],
    ['1767225630', Number.NaN],
    ['2026-13-45T99:00:00Z', Number.NaN],
  ])('Anthropic reset %j → %d', (text, ms) => {
    expect(parseRfc3339Ms(text)).toBe(ms);
  });
});

describe('recordRateLimits', () => {
  it("sets OpenAI's remaining, limit and absolute reset per limit type, from fetch Headers", async () => {
    const mw = newModelwatch();
    recordRateLimits(
      mw.instruments,
      SOURCE,
      new Headers({
        'x-ratelimit-limit-requests': '5000',
        'x-ratelimit-remaining-requests': '4999',
        'x-ratelimit-reset-requests': '12ms',
        'x-ratelimit-limit-tokens': '160000',
        'x-ratelimit-remaining-tokens': '159976',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
      NOW,
    );
    expect(await gauges(mw)).toEqual({
      'openai/gpt-4o-mini/requests': { remaining: 4999, limit: 5000, reset: NOW / 1000 + 0.012 },
      'openai/gpt-4o-mini/tokens': { remaining: 159_976, limit: 160_000, reset: NOW / 1000 + 360 },
    });
    expect(internalErrors(await scrape(mw))).toEqual({});
  });

  it("sets Anthropic's four limit types from a plain header object, resets as given", async () => {
    const mw = newModelwatch();
    const source = { provider: 'anthropic', model: 'claude-haiku-4-5' };
    const headers: Record<string, string> = {};
    for (const [name, limit, remaining, reset] of [
      ['requests', '50', '49', '2026-01-01T00:00:02Z'],
      ['tokens', '8000', '6000', '2026-01-01T00:00:15Z'],
      ['input-tokens', '30000', '26000', '2026-01-01T00:00:08Z'],
      ['output-tokens', '8000', '6000', '2026-01-01T00:00:15Z'],
    ] as const) {
      headers[`anthropic-ratelimit-${name}-limit`] = limit;
      headers[`anthropic-ratelimit-${name}-remaining`] = remaining;
      headers[`anthropic-ratelimit-${name}-reset`] = reset;
    }
    recordRateLimits(mw.instruments, source, headers, NOW);
    expect(await gauges(mw)).toEqual({
      'anthropic/claude-haiku-4-5/requests': { remaining: 49, limit: 50, reset: NOW / 1000 + 2 },
      'anthropic/claude-haiku-4-5/tokens': { remaining: 6000, limit: 8000, reset: NOW / 1000 + 15 },
      'anthropic/claude-haiku-4-5/input_tokens': { remaining: 26_000, limit: 30_000, reset: NOW / 1000 + 8 },
      'anthropic/claude-haiku-4-5/output_tokens': { remaining: 6000, limit: 8000, reset: NOW / 1000 + 15 },
    });
  });

  it('skips each garbage value, keeps the good ones and the previous value, and counts the response once', async () => {
    const mw = newModelwatch();
    recordRateLimits(mw.instruments, SOURCE, { 'x-ratelimit-remaining-requests': '10', 'x-ratelimit-limit-requests': '20' }, NOW);
    recordRateLimits(
      mw.instruments,
      SOURCE,
      {
        'x-ratelimit-remaining-requests': 'NaN',
        'x-ratelimit-limit-requests': '30',
        'x-ratelimit-reset-requests': 'soon',
        'x-ratelimit-remaining-tokens': '-5',
        'x-ratelimit-limit-tokens': 'Infinity',
      },
      NOW,
    );
    expect(await gauges(mw)).toEqual({ 'openai/gpt-4o-mini/requests': { remaining: 10, limit: 30 } });
    expect(internalErrors(await scrape(mw))).toEqual({ invalid_rate_limit_header: 1 });
  });

  it('does nothing without rate-limit headers, and counts nothing', async () => {
    const mw = newModelwatch();
    recordRateLimits(mw.instruments, SOURCE, new Headers({ 'content-type': 'application/json' }), NOW);
    expect(await gauges(mw)).toEqual({});
    expect(internalErrors(await scrape(mw))).toEqual({});
  });
});

describe('KeptRateLimitHeaders (the SDK integrations: read when the metrics are collected)', () => {
  const limits = (remaining: string) => new Headers({ 'x-ratelimit-remaining-requests': remaining, 'x-ratelimit-limit-requests': '100', 'x-ratelimit-reset-requests': '2s' });

  it('reads the last response of each model at the scrape, each with the clock it arrived at', async () => {
    const mw = newModelwatch();
    const kept = mw.instruments.rateLimitHeaders;
    kept.keep(SOURCE, limits('99'), NOW);
    kept.keep(SOURCE, limits('98'), NOW + 1000);
    kept.keep({ provider: 'openai', model: 'gpt-4o' }, limits('50'), NOW);
    expect(mw.instruments.aiRateLimitRemaining.all()).toHaveLength(0);
    expect(await gauges(mw)).toEqual({
      'openai/gpt-4o-mini/requests': { remaining: 98, limit: 100, reset: NOW / 1000 + 3 },
      'openai/gpt-4o/requests': { remaining: 50, limit: 100, reset: NOW / 1000 + 2 },
    });
    // Read once: a later scrape without responses leaves the gauges as the last response said.
    expect(await gauges(mw)).toEqual({
      'openai/gpt-4o-mini/requests': { remaining: 98, limit: 100, reset: NOW / 1000 + 3 },
      'openai/gpt-4o/requests': { remaining: 50, limit: 100, reset: NOW / 1000 + 2 },
    });
  });

  it('holds at most 64 models between scrapes: the 64th reads them all at once', () => {
    const mw = newModelwatch();
    for (let i = 0; i < 63; i++) mw.instruments.rateLimitHeaders.keep({ provider: 'openai', model: `model-${i}` }, limits('1'), NOW);
    expect(mw.instruments.aiRateLimitRemaining.all()).toHaveLength(0);
    mw.instruments.rateLimitHeaders.keep({ provider: 'openai', model: 'model-63' }, limits('1'), NOW);
    expect(mw.instruments.aiRateLimitRemaining.all()).toHaveLength(64);
  });

  it('counts a response whose headers throw as an internal error, and still reads the others', async () => {
    const mw = newModelwatch();
    const throwing = {
      get() {
        throw new Error('boom');
      },
    };
    mw.instruments.rateLimitHeaders.keep({ provider: 'openai', model: 'gpt-4o' }, throwing, NOW);
    mw.instruments.rateLimitHeaders.keep(SOURCE, limits('7'), NOW);
    const samples = await scrape(mw);
    expect(internalErrors(samples)).toEqual({ internal: 1 });
    expect(select(samples, 'modelwatch_gen_ai_rate_limit_remaining').map((s) => [s.labels.gen_ai_request_model, s.value])).toEqual([['gpt-4o-mini', 7]]);
  });
});

describe('recordRateLimitHeaders (apps without the SDK integrations)', () => {
  it('records the headers of a response the app fetched itself', async () => {
    const mw = newModelwatch();
    recordRateLimitHeaders(mw, SOURCE, { 'x-ratelimit-remaining-tokens': ['900'], 'x-ratelimit-limit-tokens': '1000' });
    expect(await gauges(mw)).toEqual({ 'openai/gpt-4o-mini/tokens': { remaining: 900, limit: 1000 } });
  });

  it('never throws on bad arguments: they count as invalid headers', async () => {
    const mw = newModelwatch();
    const bad: unknown[] = [
      [SOURCE, null],
      [SOURCE, 'x-ratelimit-remaining-tokens: 5'],
      [undefined, {}],
      [{ provider: 'openai' }, {}],
    ];
    for (const [source, headers] of bad as Array<[never, never]>) expect(() => recordRateLimitHeaders(mw, source, headers)).not.toThrow();
    const throwing = {
      get() {
        throw new Error('boom');
      },
    };
    expect(() => recordRateLimitHeaders(mw, SOURCE, throwing)).not.toThrow();
    expect(internalErrors(await scrape(mw))).toEqual({ invalid_rate_limit_header: 4, internal: 1 });
  });
});
