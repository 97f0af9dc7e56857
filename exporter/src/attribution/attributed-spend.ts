import { createHash } from 'node:crypto';
import { METRICS, OVERFLOW_LABEL_VALUE, TOKEN_TYPE, UNATTRIBUTED_LABEL_VALUE } from '@modelwatch/conventions';
import type { NormalizedUsage } from '../ai/call-types';
import type { Instruments } from '../instruments';
import type { CounterSeries } from '../metrics/counter';
import { sanitizeLabelValue } from '../metrics/label-values';
import type { ResolvedAttributionOptions } from './options';
import { TenantRanking, type KeptTenant } from './tenant-ranking';

/** Tenant labels remembered, per kept tenant. */
const LABEL_CACHE_PER_TENANT = 8;

/** The attributed series of one (tenant, feature). */
class AttributedSeries {
  private costSeries: CounterSeries | undefined;
  readonly input: CounterSeries;
  readonly output: CounterSeries;

  constructor(
    private readonly instruments: Instruments,
    readonly tenant: string,
    readonly feature: string,
  ) {
    this.input = instruments.aiAttributedTokens.series([tenant, feature, TOKEN_TYPE.input]);
    this.output = instruments.aiAttributedTokens.series([tenant, feature, TOKEN_TYPE.output]);
  }

  // Made at the first priced call: unpriced calls must not show as $0 spend.
  get cost(): CounterSeries {
    return (this.costSeries ??= this.instruments.aiAttributedCost.series([this.tenant, this.feature]));
  }

  remove(): void {
    if (this.costSeries !== undefined) this.instruments.aiAttributedCost.remove(this.costSeries);
    this.instruments.aiAttributedTokens.remove(this.input);
    this.instruments.aiAttributedTokens.remove(this.output);
  }
}

type FeatureSeries = Map<string, AttributedSeries>;

/** What a tenant id resolves to: its label, and its place in the top while it has one. */
interface TenantSlot {
  readonly label: string;
  kept: KeptTenant<FeatureSeries> | undefined;
}

/**
 * Records AI spend and tokens by tenant and feature. Tenants are bounded by spend
 * ({@link TenantRanking}): a call of a tenant outside the top is counted under
 * `_other`, and the fold in `modelwatch_dropped_series_total`. Features are few by
 * nature (the app names them in code): the first ones keep their value, later ones
 * fold too. Calls nobody attributed count under `_none`. A call costs a few Map
 * lookups: tenant id → label, label → kept tenant (with its series by feature).
 */
export class AttributedSpend {
  private readonly ranking: TenantRanking<FeatureSeries>;
  /** Tenant id as given → its slot; a flood of new ids rebuilds it rather than growing it. */
  private readonly tenants = new Map<string, TenantSlot>();
  private readonly labelCacheLimit: number;
  /** Feature as given → its label value, for the kept features. */
  private readonly features = new Map<string, string>();
  private readonly otherTenants: FeatureSeries = new Map();
  private readonly unattributed: FeatureSeries = new Map();
  private readonly foldedCost: CounterSeries;
  private readonly foldedTokens: CounterSeries;

  constructor(
    private readonly instruments: Instruments,
    private readonly options: ResolvedAttributionOptions,
  ) {
    this.labelCacheLimit = (options.topTenants + options.pinnedTenants.length) * LABEL_CACHE_PER_TENANT;
    const pinned = options.pinnedTenants.map((tenant) => this.tenantLabel(tenant));
    this.ranking = new TenantRanking(options.topTenants, pinned, (kept) => this.drop(kept.data));
    this.foldedCost = instruments.droppedSeries.series([METRICS.genAiAttributedCost.name]);
    this.foldedTokens = instruments.droppedSeries.series([METRICS.genAiAttributedTokens.name]);
  }

  /** Counts one call's tokens and cost (undefined: unpriced) for a tenant and feature (undefined: not attributed). */
  record(tenant: string | undefined, feature: string | undefined, usage: NormalizedUsage, cost: number | undefined): void {
    let byFeature = this.unattributed;
    let folded = false;
    if (tenant !== undefined) {
      const slot = this.tenants.get(tenant) ?? this.newSlot(tenant);
      let kept = slot.kept;
      if (kept !== undefined && kept.active) this.ranking.add(kept, cost ?? 0);
      else kept = slot.kept = this.ranking.place(slot.label, cost ?? 0);
      if (kept === undefined) {
        byFeature = this.otherTenants;
        folded = true;
      } else byFeature = kept.data ??= new Map();
    }
    const featureLabel = feature === undefined ? UNATTRIBUTED_LABEL_VALUE : (this.features.get(feature) ?? this.newFeature(feature));
    let series = byFeature.get(featureLabel);
    if (series === undefined) {
      const tenantLabel = byFeature === this.unattributed ? UNATTRIBUTED_LABEL_VALUE : folded ? OVERFLOW_LABEL_VALUE : this.tenantLabel(tenant as string);
      byFeature.set(featureLabel, (series = new AttributedSeries(this.instruments, tenantLabel, featureLabel)));
    }
    const { aiAttributedTokens, aiAttributedCost, droppedSeries } = this.instruments;
    aiAttributedTokens.inc(series.input, usage.input);
    aiAttributedTokens.inc(series.output, usage.output);
    if (cost !== undefined) aiAttributedCost.inc(series.cost, cost);
    if (folded) {
      droppedSeries.inc(this.foldedTokens);
      if (cost !== undefined) droppedSeries.inc(this.foldedCost);
    }
  }

  /** The label value of a tenant id: sanitised, and hashed when tenants are personal data. */
  tenantLabel(tenant: string): string {
    return (this.tenants.get(tenant) ?? this.newSlot(tenant)).label;
  }

  private newSlot(tenant: string): TenantSlot {
    const salt = this.options.salt;
    const label = salt === undefined ? sanitizeLabelValue(tenant) : createHash('sha256').update(salt).update('\u0000').update(tenant).digest('hex').slice(0, 16);
    const slot: TenantSlot = { label, kept: undefined };
    if (this.tenants.size >= this.labelCacheLimit) this.tenants.clear();
    this.tenants.set(tenant, slot);
    return slot;
  }

  /** The label value of a feature not seen yet: itself while few features are known, `_other` past the limit. */
  private newFeature(feature: string): string {
    if (this.features.size >= this.options.features) return OVERFLOW_LABEL_VALUE;
    const label = sanitizeLabelValue(feature);
    this.features.set(feature, label);
    return label;
  }

  /** A tenant left the top spenders: its series leave the exposition. */
  private drop(byFeature: FeatureSeries | undefined): void {
    for (const series of byFeature?.values() ?? []) series.remove();
  }
}
