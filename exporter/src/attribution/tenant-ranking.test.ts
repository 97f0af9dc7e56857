import { describe, expect, it } from 'vitest';
import { CANDIDATES_PER_KEPT, PROMOTION_FACTOR, SPEND_HALF_LIFE_MS, TenantRanking } from './tenant-ranking';

function ranking(limit: number, pinned: string[] = [], now = () => 0) {
  const demoted: string[] = [];
  const rank = new TenantRanking<never>(limit, pinned, (kept) => demoted.push(kept.tenant), now);
  return { rank, demoted };
}

describe('TenantRanking', () => {
  it('keeps the first tenants while there is room', () => {
    const { rank, demoted } = ranking(3);
    expect(['a', 'b', 'c'].map((t) => rank.place(t, 1)?.tenant)).toEqual(['a', 'b', 'c']);
    expect(rank.place('d', 1)).toBeUndefined();
    expect(rank.keptTenants()).toEqual(['a', 'b', 'c']);
    expect(demoted).toEqual([]);
  });

  it('lets a heavy spender take the place of the smallest kept one, once its own spend is clearly above it', () => {
    const { rank, demoted } = ranking(2);
    rank.place('big', 10);
    rank.place('small', 1);
    // 'heavy' spends 1 per call: it passes 'small' (1) only once above 1 × PROMOTION_FACTOR.
    const placed: boolean[] = [];
    for (let i = 0; i < 2; i++) placed.push(rank.place('heavy', 1) !== undefined);
    expect(placed).toEqual([false, true]);
    expect(PROMOTION_FACTOR).toBeLessThan(2);
    expect(demoted).toEqual(['small']);
    expect(rank.keptTenants().sort()).toEqual(['big', 'heavy']);
  });

  it('never churns the kept set under a flood of one-off tenants, and keeps its table bounded', () => {
    const { rank, demoted } = ranking(50);
    for (let t = 0; t < 50; t++) rank.place(`steady-${t}`, 0.01);
    let kept = 0;
    for (let i = 0; i < 200_000; i++) if (rank.place(`flood-${i}`, 0.01)) kept++;
    expect(kept).toBe(0);
    expect(demoted).toEqual([]);
    const candidates = (rank as unknown as { candidates: Map<string, unknown> }).candidates;
    expect(candidates.size).toBeLessThanOrEqual(50 * CANDIDATES_PER_KEPT);
  });

  // Space-saving finds every tenant with more than 1/(candidates) of the spend: here a tenth of it.
  it('finds a heavy spender that arrives in the middle of a flood', () => {
    const { rank, demoted } = ranking(5);
    for (let t = 0; t < 5; t++) rank.place(`t${t}`, 1);
    for (let i = 0; i < 10_000; i++) {
      rank.place(`flood-${i}`, 0.5);
      if (i % 100 === 0) rank.place('whale', 5);
    }
    expect(rank.keptTenants()).toContain('whale');
    expect(demoted).toHaveLength(1);
  });

  it('never keeps more than its limit, however the spend is spread', () => {
    const { rank, demoted } = ranking(50);
    for (let i = 0; i < 200_000; i++) rank.place(`tenant-${Math.floor(200 ** ((i * 0.618) % 1))}`, 0.001);
    expect(rank.keptTenants()).toHaveLength(50);
    expect(demoted.length).toBeGreaterThan(0);
  });

  it('always keeps pinned tenants, outside the limit', () => {
    const { rank } = ranking(1, ['budgeted']);
    rank.place('top', 100);
    expect(rank.place('budgeted', 0)?.pinned).toBe(true);
    expect(rank.place('other', 1)).toBeUndefined();
    expect(rank.keptTenants()).toEqual(['top']);
  });

  it('halves spend every hour, so yesterday’s top spender gives way to today’s', () => {
    let now = 0;
    const { rank, demoted } = ranking(1, [], () => now);
    rank.place('yesterday', 100);
    now = 10 * SPEND_HALF_LIFE_MS;
    // The clock is read every 1024 calls: spend of 1 per call, past 100 × 2^-10 × PROMOTION_FACTOR.
    let placed = false;
    for (let i = 0; i < 2048 && !placed; i++) placed = rank.place('today', 1) !== undefined;
    expect(placed).toBe(true);
    expect(demoted).toEqual(['yesterday']);
  });
});
