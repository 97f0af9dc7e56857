import { describe, expect, it } from 'vitest';
import { createDeadMansSwitch } from './dead-mans-switch';

describe("dead man's switch", () => {
  it('is new before the first ping, up while pings come within period + grace, down after', () => {
    const watch = createDeadMansSwitch({ periodMs: 10_000, graceMs: 5_000 });
    expect(watch.state(0)).toBe('new');
    watch.ping(1_000);
    expect(watch.state(16_000)).toBe('up');
    expect(watch.state(16_001)).toBe('down');
    watch.ping(16_500);
    expect(watch.state(20_000)).toBe('up');
  });

  it('keeps the latest ping when pings arrive out of order', () => {
    const watch = createDeadMansSwitch({ periodMs: 1_000, graceMs: 0 });
    watch.ping(5_000);
    watch.ping(2_000);
    expect(watch.lastPingMs).toBe(5_000);
  });

  it('rejects a period that is not positive', () => {
    expect(() => createDeadMansSwitch({ periodMs: 0, graceMs: 0 })).toThrow(/period must be > 0/);
  });
});
