import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from './kinds';
import { FaultRegistry, FaultUnavailableError, type FaultEvent, type FaultStarter } from './registry';

function fakeStarters() {
  const stopped: FaultKind[] = [];
  const starter: FaultStarter = (spec) => ({ stop: () => stopped.push(spec.kind), status: () => ({ kind: spec.kind }) });
  const starters = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, starter])) as Record<FaultKind, FaultStarter>;
  return { starters, stopped };
}

const spec = (kind: FaultKind, durationSeconds = 60): FaultSpec => ({ kind, target: {}, durationSeconds, params: {} });

describe('FaultRegistry', () => {
  it('heals a fault by itself when its duration ends', async () => {
    const { starters, stopped } = fakeStarters();
    const events: FaultEvent[] = [];
    const registry = new FaultRegistry(starters, (event) => events.push(event));
    const fault = await registry.inject(spec('slow_db', 0.1));
    expect(registry.list()).toEqual([{ ...fault, status: { kind: 'slow_db' } }]);
    expect(Date.parse(fault.endsAt) - Date.parse(fault.startedAt)).toBe(100);
    await delay(200);
    expect(registry.list()).toEqual([]);
    expect(stopped).toEqual(['slow_db']);
    expect(events.map((event) => [event.type, event.reason])).toEqual([
      ['injected', undefined],
      ['healed', 'expired'],
    ]);
  });

  it('heals one fault early by id, and says when there is none', async () => {
    const { starters, stopped } = fakeStarters();
    const registry = new FaultRegistry(starters);
    const first = await registry.inject(spec('cpu_burn'));
    await registry.inject(spec('memory_leak'));
    expect(registry.heal(first.id)).toBe(true);
    expect(registry.heal(first.id)).toBe(false);
    expect(stopped).toEqual(['cpu_burn']);
    expect(registry.list().map((fault) => fault.kind)).toEqual(['memory_leak']);
    registry.clear();
  });

  it('heals everything on close and refuses new faults', async () => {
    const { starters, stopped } = fakeStarters();
    const registry = new FaultRegistry(starters);
    await registry.inject(spec('cache_outage'));
    await registry.inject(spec('slow_db'));
    registry.close();
    expect(stopped).toEqual(['cache_outage', 'slow_db']);
    await expect(registry.inject(spec('slow_db'))).rejects.toBeInstanceOf(FaultUnavailableError);
  });

  it('never keeps the process alive with its timers', async () => {
    const { starters } = fakeStarters();
    const unref = vi.spyOn(globalThis, 'setTimeout');
    const registry = new FaultRegistry(starters);
    await registry.inject(spec('slow_db'));
    const timer = unref.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    unref.mockRestore();
    registry.clear();
  });
});
