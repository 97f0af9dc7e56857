import { LABEL, OVERFLOW_LABEL_VALUE, RAW_LOOKUP_CACHE_FACTOR, type MetricDefinition } from '@modelwatch/conventions';
import { formatLabelPairs, sanitizeLabelValue } from './label-values';

/** What a metric needs from its owner: where to report folds and rejected values. */
export interface MetricHooks {
  /** An observation landed in an `_other` series because the cap was reached. */
  onFold(metricName: string): void;
  /** A value was rejected (negative, NaN, infinite). */
  onInvalidValue(metricName: string): void;
}

export interface SeriesOptions {
  /** Distinct label sets kept before folding into `_other`. */
  cap: number;
}

/** State every series (one label set) carries. */
export abstract class Series {
  /** `a="x",b="y"`, escaped once at creation so exposition only concatenates. */
  readonly labelPairs: string;
  constructor(
    readonly labelValues: readonly string[],
    labelNames: readonly string[],
    /** True for the `_other` series: each observation on it counts as dropped. */
    readonly isOverflow: boolean,
  ) {
    this.labelPairs = formatLabelPairs(labelNames, labelValues);
  }
}

type RawNode<S> = Map<unknown, RawNode<S> | S>;

/**
 * Labels whose values have no bound (model names, route templates): walked last
 * in the lookup tree, so every series of one model shares the Maps above it and
 * a new model adds an entry to a Map, not a Map of its own.
 */
const UNBOUNDED_LABELS: ReadonlySet<string> = new Set([LABEL.genAiRequestModel, LABEL.httpRoute]);

/**
 * Label storage with a cardinality guard, shared by every metric type.
 *
 * Lookups go through a tree of Maps keyed by the caller's raw values, so the hot
 * path neither sanitises nor builds key strings (and, unlike a joined key, two
 * different tuples can never collide). New tuples are sanitised; tuples that
 * sanitise alike share one series. Past `cap` series, new label sets fold into
 * one `_other` series per combination of closed-label values.
 */
export abstract class LabelledMetric<S extends Series> {
  readonly name: string;
  readonly labelNames: readonly string[];
  private readonly closedValues: (ReadonlySet<string> | undefined)[];
  private readonly seriesByKey = new Map<string, S>();
  private readonly ordered: S[] = [];
  private readonly rawRoot: RawNode<S> = new Map();
  private rawEntries = 0;
  private regularSeries = 0;
  private readonly rawLimit: number;
  private readonly noLabelSeries: S | undefined;
  /** Label indexes in the order the lookup tree is walked: unbounded labels last (see UNBOUNDED_LABELS). */
  private readonly lookupOrder: readonly number[];

  constructor(
    readonly definition: MetricDefinition,
    protected readonly hooks: MetricHooks,
    readonly options: SeriesOptions,
  ) {
    this.name = definition.name;
    this.labelNames = definition.labels;
    this.closedValues = definition.labels.map((label) => {
      const values = definition.closedLabels?.[label];
      return values ? new Set(values) : undefined;
    });
    this.rawLimit = Math.max(1, options.cap) * RAW_LOOKUP_CACHE_FACTOR;
    const indexes = definition.labels.map((_, i) => i);
    const unbounded = (i: number) => UNBOUNDED_LABELS.has(definition.labels[i] as string);
    this.lookupOrder = [...indexes.filter((i) => !unbounded(i)), ...indexes.filter(unbounded)];
    if (this.labelNames.length === 0) this.noLabelSeries = this.resolve([]);
  }

  protected abstract createSeries(labelValues: readonly string[], isOverflow: boolean): S;

  /** Series for these raw label values (in `labelNames` order). Never throws. */
  series(values: readonly unknown[]): S {
    if (this.noLabelSeries) return this.noLabelSeries;
    const order = this.lookupOrder;
    let node: RawNode<S> = this.rawRoot;
    const last = order.length - 1;
    for (let i = 0; i < last; i++) {
      const next = node.get(values[order[i]!]);
      if (next === undefined) return this.resolveAndRemember(values);
      node = next as RawNode<S>;
    }
    const found = node.get(values[order[last]!]);
    return found === undefined ? this.resolveAndRemember(values) : (found as S);
  }

  /** Every series, in creation order, for exposition. */
  all(): readonly S[] {
    return this.ordered;
  }

  get seriesCount(): number {
    return this.ordered.length;
  }

  private resolveAndRemember(values: readonly unknown[]): S {
    const series = this.resolve(values);
    // Only primitives are remembered: an object key would pin the caller's object in memory.
    if (this.rawEntries < this.rawLimit && values.every(isPrimitive)) {
      const order = this.lookupOrder;
      let node = this.rawRoot;
      const last = order.length - 1;
      for (let i = 0; i < last; i++) {
        const value = values[order[i]!];
        let next = node.get(value) as RawNode<S> | undefined;
        if (next === undefined) {
          next = new Map();
          node.set(value, next);
        }
        node = next;
      }
      node.set(values[order[last]!], series);
      this.rawEntries++;
    }
    return series;
  }

  private resolve(rawValues: readonly unknown[]): S {
    const values = this.labelNames.map((_, i) => sanitizeLabelValue(rawValues[i]));
    // Sanitised values hold no control characters, so NUL cannot be part of a value.
    const key = values.join('\u0000');
    const existing = this.seriesByKey.get(key);
    if (existing) return existing;
    const closedOk = values.every((value, i) => this.closedValues[i]?.has(value) ?? true);
    if (this.regularSeries < this.options.cap && closedOk) {
      this.regularSeries++;
      return this.addSeries(key, values, false);
    }
    const folded = values.map((value, i) => (this.closedValues[i]?.has(value) ? value : OVERFLOW_LABEL_VALUE));
    const foldedKey = '\u0001' + folded.join('\u0000');
    return this.seriesByKey.get(foldedKey) ?? this.addSeries(foldedKey, folded, true);
  }

  private addSeries(key: string, values: readonly string[], isOverflow: boolean): S {
    const series = this.createSeries(values, isOverflow);
    this.seriesByKey.set(key, series);
    this.ordered.push(series);
    return series;
  }

  /** Shared check for every recorded value: finite and not negative. */
  protected accepts(value: number): boolean {
    if (value >= 0 && value !== Infinity) return true;
    this.hooks.onInvalidValue(this.name);
    return false;
  }

  protected noteFold(): void {
    this.hooks.onFold(this.name);
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}
