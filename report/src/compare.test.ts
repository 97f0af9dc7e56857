/**
 * The comparison on fixed inputs: the golden baseline report, and copies of it
 * with chosen figures moved to either side of their thresholds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUDGET_ADVICE_SHARE, CHANGE_THRESHOLDS, RATE_LIMITED_ADVICE_RATIO, compareReports, recommendations } from './compare';
import type { PerformanceReport } from './model';
import { schemaErrors } from './validate';

const baseline = JSON.parse(readFileSync(join(__dirname, '__fixtures__', 'golden-baseline-report.json'), 'utf8')) as PerformanceReport;
const copy = (): PerformanceReport => structuredClone(baseline);
const model = (report: PerformanceReport, name: string) => report.models.find((m) => m.model === name)!;

describe('compareReports', () => {
  it('a report against itself has no change', () => {
    expect(compareReports(copy(), baseline)).toEqual({ baseline: { generatedAt: baseline.generatedAt, from: baseline.source.from, to: baseline.source.to }, regressions: [], improvements: [] });
  });

  it('reports a latency move at its threshold, not below it, and says which way it went', () => {
    const current = copy();
    const was = model(baseline, 'gpt-4o').timeToFirstChunkSeconds.p95!;
    model(current, 'gpt-4o').timeToFirstChunkSeconds.p95 = was * (1 + CHANGE_THRESHOLDS.latencyRelative);
    model(current, 'gpt-4o-mini').timeToFirstChunkSeconds.p95 = model(baseline, 'gpt-4o-mini').timeToFirstChunkSeconds.p95! * (1 + CHANGE_THRESHOLDS.latencyRelative - 0.01);
    model(current, 'gpt-4o-mini').durationSeconds.p99 = model(baseline, 'gpt-4o-mini').durationSeconds.p99! / 2;
    const comparison = compareReports(current, baseline);
    expect(comparison.regressions).toEqual([
      { metric: 'model.timeToFirstChunkSeconds.p95', subject: 'demo openai/gpt-4o', baseline: was, current: was * 1.2, absoluteChange: Number((was * 0.2).toPrecision(6)), relativeChange: 0.2, kind: 'regression' },
    ]);
    expect(comparison.improvements).toMatchObject([{ metric: 'model.durationSeconds.p99', subject: 'demo openai/gpt-4o-mini', relativeChange: -0.5, kind: 'improvement' }]);
  });

  it('moves ratios by percentage points: a tiny error ratio doubling is not news, a point is', () => {
    const current = copy();
    const embeddings = current.routes.find((r) => r.route === '/embeddings')!;
    embeddings.errorRatio = CHANGE_THRESHOLDS.errorRatioAbsolute / 2;
    const chat = current.routes.find((r) => r.route === '/chat')!;
    chat.errorRatio = chat.errorRatio! + CHANGE_THRESHOLDS.errorRatioAbsolute;
    current.cache.hitRatio = baseline.cache.hitRatio! + CHANGE_THRESHOLDS.cacheHitRatioAbsolute;
    const comparison = compareReports(current, baseline);
    // From 0 the relative change is undefined: null, and the absolute change decides.
    expect(comparison.regressions.map((c) => [c.subject, c.metric, c.relativeChange === null])).toEqual([['demo POST /chat', 'route.errorRatio', false]]);
    expect(comparison.improvements.map((c) => [c.subject, c.metric])).toEqual([['cache', 'cache.hitRatio']]);
  });

  it('does not compare what only one side has', () => {
    const current = copy();
    current.models = current.models.filter((m) => m.model !== 'gpt-4o');
    current.models.push({ ...model(baseline, 'gpt-4o'), model: 'gpt-5', durationSeconds: { p50: 100, p95: 100, p99: 100 } });
    expect(compareReports(current, baseline)).toMatchObject({ regressions: [], improvements: [] });
  });
});

describe('recommendations', () => {
  it('names each regression with its size, each missed objective, heavy rate limiting and an overspent budget, and nothing else', () => {
    const current = copy();
    model(current, 'gpt-4o').timeToFirstChunkSeconds.p95 = 1.05;
    model(current, 'gpt-4o').rateLimitedRatio = RATE_LIMITED_ADVICE_RATIO - 0.001;
    current.slos = current.slos.map((s) => ({ ...s, compliance: s.target, met: true }));
    current.budgets = current.budgets.map((b) => ({ ...b, budgetShare: BUDGET_ADVICE_SHARE - 0.01 }));
    current.comparison = compareReports(current, baseline);
    expect(schemaErrors(current)).toEqual([]);
    // The rate-limited ratio's fall is an improvement: listed in the comparison, no advice.
    expect(current.comparison.improvements.map((c) => c.metric)).toContain('model.rateLimitedRatio');
    expect(recommendations(current)).toEqual(['demo openai/gpt-4o p95 time to first chunk rose 40 % vs baseline (750 ms → 1.05 s).']);
  });

  it('without a baseline, only what the report itself shows', () => {
    const advice = recommendations(copy());
    expect(advice).toEqual([
      'demo objective availability (every route) missed over the range: 98 % good against a 99 % target.',
      'demo objective gpt-4o-success (openai/gpt-4o) missed over the range: 90.9 % good against a 95 % target.',
      'demo openai/gpt-4o: 9.09 % of calls were rate-limited: raise the provider limit, spread the load, or route to a fallback model.',
      "demo AI spend at this range's pace comes to $9660 a month, 483 % of its $2000 budget.",
    ]);
  });
});
