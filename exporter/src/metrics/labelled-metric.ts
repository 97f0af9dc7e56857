import { OVERFLOW_LABEL_VALUE, RAW_LOOKUP_CACHE_FACTOR, UNBOUNDED_LABELS, type MetricDefinition } from '@modelwatch/conventions';
import { MAX_NUMBER_CHARS, type ByteChunks } from './chunk-writer';
import { escapeLabelValue, formatLabelPairs, sanitizeLabelValue } from './label-values';

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
  constructor(
    /** Sanitised, in the metric's label order. */
    readonly labelValues: readonly string[],
    private readonly labelNames: readonly string[],
    /** True for the `_other` series: each observation on it counts as dropped. */
    readonly isOverflow: boolean,
  ) {}

  /**
   * `a="x",b="y"`, escaped, built when asked. Not kept: a formatted copy of the values would be the
   * largest part of a series (about 100 bytes), and exposition writes the values as they are.
   */
  get labelPairs(): string {
    return formatLabelPairs(this.labelNames, this.labelValues);
  }
}

type RawNode<S> = Map<unknown, RawNode<S> | S>;

interface OverflowNode<S> {
  readonly children: Map<string, OverflowNode<S>>;
  series: S | undefined;
}

/**
 * Label storage with a cardinality guard, shared by every metric type.
 *
 * Lookups go through a tree of Maps keyed by the caller's raw values, so the hot
 * path neither sanitises nor builds key strings (and, unlike a joined key, two
 * different tuples can never collide). Every regular series sits in the tree under
 * its sanitised values, which is the only index of series: a new tuple is
 * sanitised and looked up there, so tuples that sanitise alike share one series,
 * and raw tuples that differ from their sanitised form are remembered beside them
 * (up to a limit). Past `cap` series, new label sets fold into one `_other` series
 * per combination of closed-label values.
 */
export abstract class LabelledMetric<S extends Series> {
  readonly name: string;
  readonly labelNames: readonly string[];
  private readonly closedValues: (ReadonlySet<string> | undefined)[];
  /** The `_other` series, by their folded values (few: one per combination of closed-label values). */
  private readonly overflowRoot: OverflowNode<S> = { children: new Map(), series: undefined };
  /** Replaced, never spliced, when a series is removed: a scrape in progress walks the array it started with. */
  private ordered: readonly S[] = [];
  private readonly rawRoot: RawNode<S> = new Map();
  private rawEntries = 0;
  private regularSeries = 0;
  private regularChanges = 0;
  private readonly rawLimit: number;
  private readonly noLabelSeries: S | undefined;
  /** `a="`, `,b="` …, built at the first exposition. */
  private sampleLabelOpens: readonly string[] | undefined;
  /** The same, encoded, with `name{` (or `name ` without labels) first: built at the first exposition. */
  private sampleBytes: { readonly open: Buffer; readonly labelOpens: readonly Buffer[]; readonly fixedBytes: number } | undefined;
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
    if (this.labelNames.length === 0) this.noLabelSeries = this.resolveAndRemember([]);
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

  /** True once `cap` regular series are held: from then on a label set not held folds into `_other`. */
  get isFull(): boolean {
    return this.regularSeries >= this.options.cap;
  }

  /**
   * Counts every regular series added or removed: a caller that read the held label values can tell
   * they are still the same by this count (a full metric changes only when a series is removed).
   */
  get changes(): number {
    return this.regularChanges;
  }

  /**
   * Takes a regular series out of the exposition; its label set may come back later as a new
   * series from 0 (Prometheus reads that as a counter reset). Only for series that were looked up
   * by their sanitised values (a raw alias would still lead to the removed series). Returns false
   * for an `_other` series or one not held.
   */
  remove(series: S): boolean {
    if (series.isOverflow || this.lookUp(series.labelValues) !== series) return false;
    this.ordered = this.ordered.filter((s) => s !== series);
    this.regularSeries--;
    this.regularChanges++;
    const order = this.lookupOrder;
    const path: RawNode<S>[] = [this.rawRoot];
    for (let i = 0; i < order.length - 1; i++) path.push(path[i]!.get(series.labelValues[order[i]!]) as RawNode<S>);
    // Delete the leaf, then every branch it left empty.
    for (let i = order.length - 1; i >= 0; i--) {
      const node = path[i]!;
      node.delete(series.labelValues[order[i]!]);
      if (node.size > 0) break;
    }
    return true;
  }

  private resolveAndRemember(rawValues: readonly unknown[]): S {
    const values = this.labelNames.map((_, i) => sanitizeLabelValue(rawValues[i]));
    let series = this.lookUp(values);
    if (series === undefined) {
      if (this.regularSeries < this.options.cap && values.every((value, i) => this.closedValues[i]?.has(value) ?? true)) {
        this.regularSeries++;
        this.regularChanges++;
        series = this.addSeries(values, false);
        // Its sanitised values are its entry in the tree (bounded by the cap, so not counted as raw).
        this.remember(values, series);
      } else {
        series = this.overflowSeries(values);
      }
    }
    // Raw values other than the series' own (unsanitised, or folded) are remembered up to a limit.
    // Only primitives: an object key would pin the caller's object in memory.
    if (this.rawEntries < this.rawLimit && !sameValues(rawValues, series.isOverflow ? undefined : values) && rawValues.every(isPrimitive)) {
      this.remember(rawValues, series);
      this.rawEntries++;
    }
    return series;
  }

  /**
   * The `_other` series for these sanitised values: each label with a closed set of values keeps
   * a value of the set, every other label reads `_other`. Found by walking a tree keyed by those
   * values (few nodes: one leaf per combination of closed-label values), so a fold past the cap,
   * which a flood of new values does on every call, builds no key string.
   */
  private overflowSeries(values: readonly string[]): S {
    let node: OverflowNode<S> = this.overflowRoot;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      const key = this.closedValues[i]?.has(value) ? value : OVERFLOW_LABEL_VALUE;
      let next = node.children.get(key);
      if (next === undefined) node.children.set(key, (next = { children: new Map(), series: undefined }));
      node = next;
    }
    if (node.series === undefined) {
      node.series = this.addSeries(
        values.map((value, i) => (this.closedValues[i]?.has(value) ? value : OVERFLOW_LABEL_VALUE)),
        true,
      );
    }
    return node.series;
  }

  /** The series under these values in the tree, if any. */
  private lookUp(values: readonly unknown[]): S | undefined {
    const order = this.lookupOrder;
    let node: RawNode<S> | undefined = this.rawRoot;
    for (let i = 0; i < order.length && node !== undefined; i++) {
      const next: RawNode<S> | S | undefined = node.get(values[order[i]!]);
      if (i === order.length - 1) return next as S | undefined;
      node = next as RawNode<S> | undefined;
    }
    return undefined;
  }

  private remember(values: readonly unknown[], series: S): void {
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
  }

  private addSeries(values: readonly string[], isOverflow: boolean): S {
    const series = this.createSeries(values, isOverflow);
    (this.ordered as S[]).push(series);
    return series;
  }

  /** Shared check for every recorded value: finite and not negative. */
  protected accepts(value: number): boolean {
    if (value >= 0 && value !== Infinity) return true;
    this.hooks.onInvalidValue(this.name);
    return false;
  }

  /**
   * `name{a="x",b="y"} ` (or `name ` without labels) for a one-line sample, the values escaped here:
   * series keep their values only, not a formatted copy.
   */
  protected sampleStart(series: S): string {
    const values = series.labelValues;
    if (values.length === 0) return `${this.name} `;
    const opens = (this.sampleLabelOpens ??= this.labelNames.map((label, i) => `${i > 0 ? ',' : ''}${label}="`));
    let text = `${this.name}{`;
    for (let i = 0; i < values.length; i++) text += `${opens[i]}${escapeLabelValue(values[i] as string)}"`;
    return `${text}} `;
  }

  /** `name{a="x",b="y"} value` and a newline, written as bytes: no string is built for the line. */
  protected putSample(series: S, value: number, out: ByteChunks): void {
    const pieces = (this.sampleBytes ??= this.encodeSamplePieces());
    const values = series.labelValues;
    // Escaping at most doubles a value; a UTF-16 code unit takes at most 3 bytes.
    let valueChars = 0;
    for (let i = 0; i < values.length; i++) valueChars += (values[i] as string).length;
    out.reserve(pieces.fixedBytes + 6 * valueChars);
    out.putBytes(pieces.open);
    if (values.length > 0) {
      for (let i = 0; i < values.length; i++) {
        out.putBytes(pieces.labelOpens[i] as Buffer);
        out.putText(escapeLabelValue(values[i] as string));
        out.putByte(QUOTE);
      }
      out.putByte(CLOSE_BRACE);
      out.putByte(SPACE);
    }
    out.putNumber(value);
    out.putByte(NEWLINE);
  }

  private encodeSamplePieces(): { open: Buffer; labelOpens: Buffer[]; fixedBytes: number } {
    const open = Buffer.from(this.labelNames.length > 0 ? `${this.name}{` : `${this.name} `, 'utf8');
    const labelOpens = this.labelNames.map((label, i) => Buffer.from(`${i > 0 ? ',' : ''}${label}="`, 'utf8'));
    const fixedBytes = open.length + labelOpens.reduce((n, b) => n + b.length + 1, 0) + 2 + MAX_NUMBER_CHARS + 1;
    return { open, labelOpens, fixedBytes };
  }

  protected noteFold(): void {
    this.hooks.onFold(this.name);
  }
}

const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const SPACE = 0x20;
const NEWLINE = 0x0a;

function sameValues(raw: readonly unknown[], values: readonly string[] | undefined): boolean {
  return values !== undefined && raw.length === values.length && raw.every((value, i) => value === values[i]);
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}
