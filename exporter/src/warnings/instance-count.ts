/** A registered symbol, so every copy of the package in the process (CJS and ESM) counts together. */
const INSTANCES = Symbol.for('modelwatch.instances');

/** Counts one more Modelwatch instance in this process; returns how many there are now. */
export function countInstance(): number {
  const holder = globalThis as { [INSTANCES]?: number };
  holder[INSTANCES] = (holder[INSTANCES] ?? 0) + 1;
  return holder[INSTANCES];
}
