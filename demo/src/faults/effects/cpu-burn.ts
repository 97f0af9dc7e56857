import type { FaultEffect } from '../registry';

const SLICE_MS = 8;

/**
 * Keeps `percent` of one core busy on the event loop, in slices of at most 8 ms
 * so requests still get served between them (with the added event-loop lag a
 * CPU-starved service shows). Busy time is balanced against wall time, so the
 * duty cycle holds whatever the load.
 */
export function startCpuBurn(percent: number): FaultEffect {
  const share = Math.min(1, Math.max(0, percent / 100));
  const startedAt = performance.now();
  let busyMs = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const owed = share * (performance.now() - startedAt) - busyMs;
    if (owed > 0) {
      const sliceStart = performance.now();
      const until = sliceStart + Math.min(SLICE_MS, owed);
      while (performance.now() < until) {
        // Busy wait: this is the fault.
      }
      busyMs += performance.now() - sliceStart;
    }
    // setImmediate would spin the loop at 100 %; a short timer yields to I/O and lets the share hold.
    const idleMs = share >= 1 ? 0 : Math.max(1, Math.round((SLICE_MS * (1 - share)) / share));
    timer = setTimeout(tick, idleMs);
    timer.unref();
  };
  timer = setTimeout(tick, 0);
  timer.unref();

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    status: () => ({ busySeconds: Math.round(busyMs) / 1000 }),
  };
}
