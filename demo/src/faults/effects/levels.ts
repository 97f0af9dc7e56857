/**
 * Overlapping faults of one kind (two `slow_db` faults, say): each adds a level
 * and removes it when it heals; the strongest level in force applies.
 */
export class Levels {
  private readonly active = new Set<{ value: number }>();

  add(value: number): () => void {
    const entry = { value };
    this.active.add(entry);
    return () => this.active.delete(entry);
  }

  /** The strongest level in force, or 0. */
  current(): number {
    let max = 0;
    for (const { value } of this.active) max = Math.max(max, value);
    return max;
  }
}
