/**
 * Which tenants keep series of their own: the top spenders, found with the
 * space-saving algorithm (Metwally et al., "Efficient computation of frequent and
 * top-k elements in data streams"). The kept tenants' spend is exact; the others
 * are candidates in a table of bounded size, each with an estimate and the most
 * it may overstate (evictions take the lower half of the table at once). A candidate takes the place of the smallest kept spender only
 * once its guaranteed spend (estimate minus error) is clearly above it, so a flood
 * of one-off tenants never churns the kept set. Spend halves every hour, so the
 * ranking follows the recent spenders rather than last month's.
 */

/** A candidate's guaranteed spend must exceed the smallest kept spend by this factor. */
export const PROMOTION_FACTOR = 1.5;
/** Candidates tracked per kept tenant. */
export const CANDIDATES_PER_KEPT = 8;
/** How often spend halves. */
export const SPEND_HALF_LIFE_MS = 3_600_000;
/** The clock is read once per this many calls. */
const CLOCK_EVERY = 1024;

/** A tenant with series of its own; `data` is the owner's (its series). */
export interface KeptTenant<T> {
  readonly tenant: string;
  spend: number;
  /** Kept whatever it spends, never counted against the limit. */
  readonly pinned: boolean;
  /** False once it left the top: a caller holding the entry must place the tenant anew. */
  active: boolean;
  data: T | undefined;
}

interface Candidate {
  spend: number;
  /** How much of `spend` may have been inherited from evicted candidates. */
  error: number;
}

export class TenantRanking<T> {
  /** Kept tenants, pinned ones included: one lookup finds a call's tenant. */
  private readonly kept = new Map<string, KeptTenant<T>>();
  private keptCount = 0;
  private readonly candidates = new Map<string, Candidate>();
  private readonly candidateLimit: number;
  /** The kept tenant with the least spend, while known. */
  private smallest: KeptTenant<T> | undefined;
  /** The largest estimate evicted from the candidates: what a new candidate may have spent unseen. */
  private evictedFloor = 0;
  private calls = 0;
  private lastDecayMs: number;

  constructor(
    /** How many tenants keep series of their own (pinned ones aside). */
    private readonly limit: number,
    /** Tenants always kept, whatever they spend (those with a budget in the SLO spec). */
    pinned: Iterable<string>,
    /** Called when a kept tenant leaves the top: its series go. */
    private readonly onDemote: (tenant: KeptTenant<T>) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.candidateLimit = Math.max(16, limit * CANDIDATES_PER_KEPT);
    this.lastDecayMs = now();
    for (const tenant of pinned) this.kept.set(tenant, { tenant, spend: 0, pinned: true, active: true, data: undefined });
  }

  /** Counts `spend` (USD) for `tenant`; its entry when it has series of its own, undefined when its call folds into `_other`. */
  place(tenant: string, spend: number): KeptTenant<T> | undefined {
    const kept = this.kept.get(tenant);
    if (kept !== undefined) {
      this.add(kept, spend);
      return kept;
    }
    if (++this.calls % CLOCK_EVERY === 0) this.decayIfDue();
    if (this.keptCount < this.limit) {
      const candidate = this.candidates.get(tenant);
      this.candidates.delete(tenant);
      return this.keep(tenant, (candidate?.spend ?? 0) + spend);
    }
    const candidate = this.count(tenant, spend);
    const smallest = this.smallestKept();
    if (smallest === undefined || candidate.spend - candidate.error <= smallest.spend * PROMOTION_FACTOR) return undefined;
    this.kept.delete(smallest.tenant);
    smallest.active = false;
    this.keptCount--;
    this.smallest = undefined;
    this.candidates.delete(tenant);
    this.onDemote(smallest);
    // Its spend was exact while kept: a candidate with no error.
    const demoted = this.count(smallest.tenant, 0);
    demoted.spend = smallest.spend;
    demoted.error = 0;
    return this.keep(tenant, candidate.spend);
  }

  /** Counts `spend` for a tenant already kept (its entry still `active`): the lookup saved. */
  add(kept: KeptTenant<T>, spend: number): void {
    if (++this.calls % CLOCK_EVERY === 0) this.decayIfDue();
    kept.spend += spend;
    if (kept === this.smallest) this.smallest = undefined;
  }

  /** The tenants kept for their spend (pinned ones aside), for tests. */
  keptTenants(): string[] {
    return [...this.kept.values()].filter((entry) => !entry.pinned).map((entry) => entry.tenant);
  }

  private keep(tenant: string, spend: number): KeptTenant<T> {
    const entry: KeptTenant<T> = { tenant, spend, pinned: false, active: true, data: undefined };
    this.kept.set(tenant, entry);
    this.keptCount++;
    if (this.smallest !== undefined && spend < this.smallest.spend) this.smallest = entry;
    return entry;
  }

  /**
   * Adds to a candidate. A new one starts from the largest estimate evicted so far, as its error:
   * when the table is full its lower half goes at once (one sort per half a table of new tenants,
   * rather than a scan per tenant), so a flood of new ids costs little per call.
   */
  private count(tenant: string, spend: number): Candidate {
    let candidate = this.candidates.get(tenant);
    if (candidate === undefined) {
      if (this.candidates.size >= this.candidateLimit) this.evictLowerHalf();
      candidate = { spend: this.evictedFloor, error: this.evictedFloor };
      this.candidates.set(tenant, candidate);
    }
    candidate.spend += spend;
    return candidate;
  }

  private evictLowerHalf(): void {
    const bySpend = [...this.candidates].sort((a, b) => a[1].spend - b[1].spend);
    const evicted = bySpend.slice(0, Math.ceil(bySpend.length / 2));
    for (const [name] of evicted) this.candidates.delete(name);
    this.evictedFloor = Math.max(this.evictedFloor, evicted.at(-1)![1].spend);
  }

  private smallestKept(): KeptTenant<T> | undefined {
    if (this.smallest !== undefined) return this.smallest;
    for (const entry of this.kept.values()) {
      if (!entry.pinned && (this.smallest === undefined || entry.spend < this.smallest.spend)) this.smallest = entry;
    }
    return this.smallest;
  }

  private decayIfDue(): void {
    const now = this.now();
    const halvings = Math.floor((now - this.lastDecayMs) / SPEND_HALF_LIFE_MS);
    if (halvings < 1) return;
    this.lastDecayMs += halvings * SPEND_HALF_LIFE_MS;
    const factor = 0.5 ** halvings;
    for (const entry of this.kept.values()) entry.spend *= factor;
    for (const candidate of this.candidates.values()) {
      candidate.spend *= factor;
      candidate.error *= factor;
    }
    this.evictedFloor *= factor;
  }
}
