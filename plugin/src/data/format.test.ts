import { formatPercent, formatRate, formatScore, formatSeconds, formatUsd } from './format';

describe('formatting', () => {
  it.each([
    [formatPercent(0.032), '3.2 %'],
    [formatPercent(0.0012), '0.12 %'],
    [formatPercent(undefined), '—'],
    [formatSeconds(0.0004), '0.4 ms'],
    [formatSeconds(0.25), '250 ms'],
    [formatSeconds(2.5), '2.50 s'],
    [formatUsd(1234.5), '$1,234.50'],
    [formatUsd(0.000022), '$0.000022'],
    [formatUsd(NaN), '—'],
    [formatRate(0.0123), '0.0123 req/s'],
    [formatRate(1234), '1,234 req/s'],
    [formatScore(61.4), '61'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
