import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['30', 30_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('names the bad value', () => {
    expect(() => parseDuration('5 minutes')).toThrow('Invalid duration "5 minutes": use a number with ms, s, m or h (e.g. 90s, 5m)');
  });
});

describe('formatDuration', () => {
  it.each([
    [450, '450ms'],
    [5_000, '5s'],
    [125_000, '2m5s'],
    [3_600_000, '1h'],
  ])('%d ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
