import { formatBurnRate, formatPercent, formatScore, formatSli, formatTarget, formatThreshold, formatUsd } from './format';

describe('formatting', () => {
  it.each([
    [formatPercent(0.032), '3.2 %'],
    [formatPercent(0.0012), '0.12 %'],
    [formatPercent(undefined), '—'],
    [formatUsd(1234.5), '$1,234.50'],
    [formatUsd(0.000022), '$0.000022'],
    [formatUsd(3.5e-7), '$0.00000035'],
    [formatUsd(NaN), '—'],
    [formatScore(61.4), '61'],
    [formatTarget(0.999), '99.9 %'],
    [formatTarget(0.99), '99 %'],
    [formatSli(1), '100 %'],
    // Rounded down: next to a 99.9 % target, 99.96 % must not read 100 %.
    [formatSli(0.99996), '99.99 %'],
    [formatSli(0.9999), '99.99 %'],
    [formatSli(0.97), '97.00 %'],
    [formatBurnRate(3.24), '3.2×'],
    [formatBurnRate(1000), '1,000×'],
    [formatThreshold(10), '10 s'],
    [formatThreshold(2.56), '2.56 s'],
    [formatThreshold(0.05), '50 ms'],
  ])('%s', (actual, expected) => {
    expect(actual).toBe(expected);
  });
});
