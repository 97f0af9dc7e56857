import { describe, expect, it } from 'vitest';
import { byService, increaseOver, jobScope, quantile, rangeWindow, rate, rateRatio, ratio, shareBy, sumRate } from './promql';

const demo = jobScope('demo');

describe('PromQL builders', () => {
  it.each([
    ['a rate over the health window by default', rate('up', demo), 'rate(up{job="demo"}[5m])'],
    ['a rate over the scope’s window', rate('up', { matchers: ['job=~"$job"'], window: '$__rate_interval' }), 'rate(up{job=~"$job"}[$__rate_interval])'],
    ['a summed rate per group', sumRate('x_total', ['a', 'b'], demo, ['c="1"']), 'sum by (a, b) (rate(x_total{c="1",job="demo"}[5m]))'],
    ['a summed rate without groups', sumRate('x_total', [], {}), 'sum(rate(x_total[5m]))'],
    ['a quantile per group, le first', quantile(0.95, 'h', ['route'], demo), 'histogram_quantile(0.95, sum by (le, route) (rate(h_bucket{job="demo"}[5m])))'],
    ['a quantile per service', quantile(0.95, 'h', byService([]), { window: '10m' }), 'histogram_quantile(0.95, sum by (le, job) (rate(h_bucket[10m])))'],
    ['a share per service and group', shareBy(['m'], 'c_total', ['e!=""'], {}), '(sum by (job, m) (rate(c_total{e!=""}[5m])) or sum by (job, m) (rate(c_total[5m])) * 0) / (sum by (job, m) (rate(c_total[5m])) > 0)'],
    ['a ratio only where there is traffic', ratio('a', 'b'), '(a) / (b > 0)'],
    ['a ratio of one counter', rateRatio('c', {}, ['x'], ['r="hit"']), 'sum by (x) (rate(c{r="hit"}[5m])) / sum by (x) (rate(c[5m]))'],
    ['an increase over a range', increaseOver('c', demo, '$__range'), 'increase(c{job="demo"}[$__range])'],
  ])('%s', (_, expr, expected) => {
    expect(expr).toBe(expected);
  });

  it('escapes the job of a scope, and leaves every service in scope without one', () => {
    expect(jobScope('a"b\\c').matchers).toEqual(['job="a\\"b\\\\c"']);
    expect(jobScope(undefined, '1h')).toEqual({ matchers: [], window: '1h' });
  });

  it('turns a time range into whole seconds, at least a minute', () => {
    expect(rangeWindow({ from: 0, to: 3_600_000 })).toBe('3600s');
    expect(rangeWindow({ from: 0, to: 1_000 })).toBe('60s');
  });
});
