import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['90s', 90_000],
    ['5m', 300_000],
    ['1.5m', 90_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['30', 30_000],
    [' 5m ', 300_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['5 minutes', 'soon', '', '-1s'])('names the bad value %j', (text) => {
    expect(() => parseDuration(text)).toThrow(`Invalid duration ${JSON.stringify(text)}: use a number with ms, s, m or h (e.g. 90s, 5m)`);
  });
});
