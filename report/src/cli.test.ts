import { describe, expect, it } from 'vitest';
import { main, parseTime } from './cli';

describe('report CLI', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('takes RFC 3339, unix seconds, now and now-<duration>', () => {
    expect(parseTime('2026-01-01T10:00:00Z', now)).toBe(Date.parse('2026-01-01T10:00:00Z') / 1000);
    expect(parseTime('1767225600', now)).toBe(1767225600);
    expect(parseTime('now', now)).toBe(now / 1000);
    expect(parseTime('now-90m', now)).toBe(now / 1000 - 5400);
  });

  it('names a bad time or a missing range', async () => {
    expect(() => parseTime('yesterday', now)).toThrow('Invalid time "yesterday": use RFC 3339');
    expect(() => parseTime('now-a while', now)).toThrow('Invalid duration "a while"');
    await expect(main(['--from', 'now-1h'])).rejects.toThrow('--from and --to are required');
  });
});
