import { describe, expect, it, vi } from 'vitest';
import { main } from './cli';

describe('traffic CLI', () => {
  it('prints the scenarios with --help', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main(['--help'])).toBe(0);
      const text = String(log.mock.calls[0]?.[0]);
      expect(text).toMatch(/spike\s+1000 users for 3 min/);
      expect(text).toMatch(/--allow-remote/);
    } finally {
      log.mockRestore();
    }
  });

  it('names a bad flag value', async () => {
    await expect(main(['--scenario', 'chaos'])).rejects.toThrow('Unknown scenario "chaos"');
    await expect(main(['--users', 'many'])).rejects.toThrow('--users must be a number, got "many"');
    await expect(main(['--duration', 'forever'])).rejects.toThrow('Invalid duration "forever"');
  });

  it('refuses a non-loopback target', async () => {
    await expect(main(['--target', 'http://203.0.113.9'])).rejects.toThrow(/Refusing non-loopback target 203\.0\.113\.9/);
  });
});
