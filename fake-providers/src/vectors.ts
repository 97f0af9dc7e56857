import type { Random } from './random';

/** A unit vector of `length` float32-exact components drawn from `rng`: the embedding both providers' endpoints answer with. */
export function unitVector(rng: Random, length: number): number[] {
  const raw = Array.from({ length }, () => rng.normal());
  const norm = Math.sqrt(raw.reduce((sum, value) => sum + value * value, 0)) || 1;
  return raw.map((value) => Math.fround(value / norm));
}
