import { createHash } from 'node:crypto';
import { METRICS, OVERFLOW_LABEL_VALUE, TOKEN_TYPE, UNATTRIBUTED_LABEL_VALUE } from '@modelwatch/conventions';
import type { NormalizedUsage } from '../ai/call-types';
import type { Instruments } from '../instruments';
import type { CounterSeries } from '../metrics/counter';
import { sanitizeLabelValue } from '../metrics/label-values';
import type { ResolvedAttributionOptions } from './options';
import { TenantRanking, type KeptTenant } from './tenant-ranking';

/** Tenant ids remembered, per kept tenant. */
const TENANT_IDS_PER_KEPT_TENANT = 8;
/** Feature numbers of the two features every tenant may have besides the app's: calls without one, and those past the limit. */
const UNATTRIBUTED_FEATURE = 0;
const OTHER_FEATURE = 1;

/** The attributed series of one (tenant, feature). */
class AttributedSeries {
  /** Made at the first priced call: unpriced calls must not show as $0 spend. */
  costSeries: CounterSeries | undefined;
  readonly input: CounterSeries;
  readonly output: CounterSeries;

  constructor(
    private readonly instruments: Instruments,
    private readonly tenant: string,
    private readonly feature: string,
  ) {
    this.input = instruments.aiAttributedTokens.series([tenant, feature, TOKEN_TYPE.input]);
    this.output = instruments.aiAttributedTokens.series([tenant, feature, TOKEN_TYPE.output]);
  }

  newCostSeries(): CounterSeries {
    return (this.costSeries = this.instruments.aiAttributedCost.series([this.tenant, this.feature]));
  }

  remove(): void {
    if (this.costSeries !== undefined) this.instruments.aiAttributedCost.remove(this.costSeries);
    this.instruments.aiAttributedTokens.remove(this.input);
    this.instruments.aiAttributedTokens.remove(this.output);
  }
}

/**
 * The series of one tenant label (a kept tenant, `_other` or `_none`), by feature number:
 * an array index rather than a Map lookup per call.
 */
class TenantSeries {
  readonly byFeature: (AttributedSeries | undefined)[] = [];

  constructor(readonly label: string) {}

  remove(): void {
    for (const series of this.byFeature) series?.remove();
  }
}

/** What a tenant id resolves to: its label, and its place in the top while it has one. */
interface TenantSlot {
  readonly label: string;
  kept: KeptTenant<TenantSeries> | undefined;
}

/**
 * Records AI spend and tokens by tenant and feature. Tenants are bounded by spend
 * ({@link TenantRanking}): a call of a tenant outside the top is counted under
 * `_other`, and the fold in `modelwatch_dropped_series_total`. Features are few by
 * nature (the app names them in code): the first ones keep their value, later ones
 * fold too. Calls nobody attributed count under `_none`. A call of a kept tenant
 * costs two Map lookups (its id, its feature) and three counter additions.
 */
export class AttributedSpend {
  private readonly ranking: TenantRanking<TenantSeries>;
  /** Tenant id as given → its slot; a flood of new ids rebuilds it rather than growing it. */
  private readonly tenants = new Map<string, TenantSlot>();
  private readonly tenantIdLimit: number;
  /** Feature as given → its number (an index into each tenant's series); only the kept features. */
  private readonly features = new Map<string, number>();
  /** Label value of each feature number. */
  private readonly featureLabels: string[] = [UNATTRIBUTED_LABEL_VALUE, OVERFLOW_LABEL_VALUE];
  private readonly otherTenants = new TenantSeries(OVERFLOW_LABEL_VALUE);
  private readonly unattributed = new TenantSeries(UNATTRIBUTED_LABEL_VALUE);
  private readonly foldedCost: CounterSeries;
  private readonly foldedTokens: CounterSeries;

  constructor(
    private readonly instruments: Instruments,
    private readonly options: ResolvedAttributionOptions,
  ) {
    this.tenantIdLimit = (options.topTenants + options.pinnedTenants.length) * TENANT_IDS_PER_KEPT_TENANT;
    const pinned = options.pinnedTenants.map((tenant) => this.tenantLabel(tenant));
    this.ranking = new TenantRanking(options.topTenants, pinned, (kept) => kept.data?.remove());
    this.foldedCost = instruments.droppedSeries.series([METRICS.genAiAttributedCost.name]);
    this.foldedTokens = instruments.droppedSeries.series([METRICS.genAiAttributedTokens.name]);
  }

  /** Counts one call's tokens and cost (undefined: unpriced) for a tenant and feature (undefined: not attributed). */
  record(tenant: string | undefined, feature: string | undefined, usage: NormalizedUsage, cost: number | undefined): void {
    let tenantSeries = this.unattributed;
    if (tenant !== undefined) {
      const slot = this.tenants.get(tenant) ?? this.newSlot(tenant);
      const kept = slot.kept;
      if (kept !== undefined && kept.active) {
        this.ranking.add(kept, cost ?? 0);
        tenantSeries = kept.data!;
      } else tenantSeries = this.place(slot, cost);
    }
    const featureNumber = feature === undefined ? UNATTRIBUTED_FEATURE : (this.features.get(feature) ?? this.newFeature(feature));
    const series = tenantSeries.byFeature[featureNumber] ?? this.newSeries(tenantSeries, featureNumber);
    const { aiAttributedTokens, aiAttributedCost } = this.instruments;
    aiAttributedTokens.inc(series.input, usage.input);
    aiAttributedTokens.inc(series.output, usage.output);
    if (cost !== undefined) aiAttributedCost.inc(series.costSeries ?? series.newCostSeries(), cost);
  }

  /** The label value of a tenant id: sanitised, and hashed when tenants are personal data. */
  tenantLabel(tenant: string): string {
    return (this.tenants.get(tenant) ?? this.newSlot(tenant)).label;
  }

  /** A call of a tenant not kept now: ranked, and kept if its spend earns it a place, else counted under `_other` (and the fold counted). */
  private place(slot: TenantSlot, cost: number | undefined): TenantSeries {
    const kept = (slot.kept = this.ranking.place(slot.label, cost ?? 0));
    if (kept !== undefined) return (kept.data ??= new TenantSeries(slot.label));
    const { droppedSeries } = this.instruments;
    droppedSeries.inc(this.foldedTokens);
    if (cost !== undefined) droppedSeries.inc(this.foldedCost);
    return this.otherTenants;
  }

  private newSlot(tenant: string): TenantSlot {
    const salt = this.options.salt;
    const label = salt === undefined ? sanitizeLabelValue(tenant) : createHash('sha256').update(salt).update('\u0000').update(tenant).digest('hex').slice(0, 16);
    const slot: TenantSlot = { label, kept: undefined };
    if (this.tenants.size >= this.tenantIdLimit) this.tenants.clear();
    this.tenants.set(tenant, slot);
    return slot;
  }

  /**
   * The number of a feature not seen yet: a new one while few features are known, `_other`'s past
   * the limit. Features whose labels are the same share a number. Only the kept features are
   * remembered, so a flood of feature names takes no memory (each takes this slower path instead).
   */
  private newFeature(feature: string): number {
    const label = sanitizeLabelValue(feature);
    let featureNumber = this.featureLabels.indexOf(label, OTHER_FEATURE + 1);
    if (featureNumber < 0) {
      if (this.featureLabels.length - (OTHER_FEATURE + 1) >= this.options.features) return OTHER_FEATURE;
      featureNumber = this.featureLabels.push(label) - 1;
    }
    if (this.features.size < this.options.features * 2) this.features.set(feature, featureNumber);
    return featureNumber;
  }

  private newSeries(tenantSeries: TenantSeries, featureNumber: number): AttributedSeries {
    return (tenantSeries.byFeature[featureNumber] = new AttributedSeries(this.instruments, tenantSeries.label, this.featureLabels[featureNumber]!));
  }
}
