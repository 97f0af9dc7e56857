import type { FaultEffect } from '../registry';

const CHUNK_DOUBLES = (1024 * 1024) / 8;

/**
 * Retains `mbPerSecond` megabytes of JavaScript heap every second (arrays of
 * doubles, so the heap and RSS both grow, like a real leak of cached objects)
 * until `maxMb`, and lets go of all of it when stopped: the next GC returns it.
 */
export function startMemoryLeak(mbPerSecond: number, maxMb: number, tickMs = 250): FaultEffect {
  const retained: number[][] = [];
  let carry = 0;
  const timer = setInterval(() => {
    carry += (mbPerSecond * tickMs) / 1000;
    while (carry >= 1 && retained.length < maxMb) {
      carry -= 1;
      retained.push(megabyte(retained.length));
    }
  }, tickMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      retained.length = 0;
    },
    status: () => ({ retainedMb: retained.length, maxMb }),
  };
}

/** One MiB of distinct doubles: not a constant fill, which V8 could store compactly. */
function megabyte(seed: number): number[] {
  const chunk = new Array<number>(CHUNK_DOUBLES);
  for (let i = 0; i < CHUNK_DOUBLES; i++) chunk[i] = seed + i * 0.5;
  return chunk;
}
