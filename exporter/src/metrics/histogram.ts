import type { MetricDefinition } from '@modelwatch/conventions';
import { formatExemplar, type Exemplar, type TraceRef } from './exemplar';
import { escapeLabelValue, formatNumber } from './label-values';
import { LabelledMetric, Series, type MetricHooks, type SeriesOptions } from './labelled-metric';
import type { ExpositionFormat } from './format';
import { MAX_NUMBER_CHARS, type ByteChunks } from './chunk-writer';

export class HistogramSeries extends Series {
  /**
   * Per-bucket (not cumulative) counts; the last slot is the +Inf bucket. A plain
   * array: counts stay small integers, which V8 stores unboxed at 4 bytes each
   * (a Float64Array costs ~300 bytes more per series in buffer bookkeeping).
   */
  readonly counts: number[];
  sum = 0;
  count = 0;
  exemplars: (Exemplar | undefined)[] | undefined;

  constructor(labelValues: readonly string[], labelNames: readonly string[], isOverflow: boolean, bucketCount: number) {
    super(labelValues, labelNames, isOverflow);
    this.counts = new Array<number>(bucketCount + 1).fill(0);
  }
}

export class Histogram extends LabelledMetric<HistogramSeries> {
  readonly bounds: readonly number[];
  /** `name_bucket{`: the start of every bucket line. */
  private readonly bucketOpen: Buffer;
  /** `le="0.005"} ` … `le="+Inf"} `, encoded once: what follows a series' label pairs on each bucket line. */
  private readonly leTails: readonly Buffer[];
  private readonly sumName: Buffer;
  private readonly countName: Buffer;
  /** `a="`, `,b="` …: what precedes each label value. */
  private readonly labelOpens: readonly Buffer[];
  /** Bytes of the longest line besides the label values: bucket name, label names, comma, `le` tail, count, newline. */
  private readonly lineBytesBesideLabels: number;
  /**
   * For bounds that double (or quadruple…) from one to the next, as the GenAI duration and token
   * buckets do: 1 ÷ the first bound, and log2 of the ratio. The bucket of a value is then found from
   * the binary exponent of value ÷ first bound, then checked against the bounds, instead of a scan
   * whose exit branch the CPU mispredicts on most calls. 0: scan.
   */
  private readonly inverseFirstBound: number = 0;
  private readonly log2Ratio: number = 0;
  /**
   * The bounds below and above each bucket: -Infinity, then the bounds; the bounds, then +Infinity.
   * The exponent's estimate is at most one bucket off (a value on a bound, or rounding next to one),
   * and these let `observe` correct it without a branch of its own: a branch that runs once in a
   * while would deoptimise the recording code it was compiled into the first time it runs.
   */
  private readonly lowerBounds: readonly number[] = [];
  private readonly upperBounds: readonly number[] = [];

  constructor(definition: MetricDefinition, hooks: MetricHooks, options: SeriesOptions) {
    const bounds = definition.buckets ?? [];
    if (bounds.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (bounds[i - 1] as number)))) {
      throw new Error(`Histogram ${definition.name}: buckets must be finite and strictly increasing, got [${bounds.join(', ')}]`);
    }
    super(definition, hooks, options);
    this.bounds = bounds;
    this.bucketOpen = encodeName(`${this.name}_bucket{`);
    this.leTails = [...bounds.map((b) => `le="${formatNumber(b)}"} `), 'le="+Inf"} '].map(encodeName);
    this.sumName = encodeName(`${this.name}_sum`);
    this.countName = encodeName(`${this.name}_count`);
    this.labelOpens = this.labelNames.map((label, i) => encodeName(`${i > 0 ? ',' : ''}${label}="`));
    const longestTail = Math.max(...this.leTails.map((tail) => tail.length));
    const labelBytes = this.labelOpens.reduce((n, open) => n + open.length + 1, 0);
    this.lineBytesBesideLabels = this.bucketOpen.length + labelBytes + 1 + longestTail + MAX_NUMBER_CHARS + 1;
    const log2Ratio = geometricLog2Ratio(bounds);
    if (log2Ratio > 0) {
      this.log2Ratio = log2Ratio;
      this.inverseFirstBound = 1 / (bounds[0] as number);
      this.lowerBounds = [-Infinity, ...bounds];
      this.upperBounds = [...bounds, Infinity];
    }
  }

  protected createSeries(labelValues: readonly string[], isOverflow: boolean): HistogramSeries {
    return new HistogramSeries(labelValues, this.labelNames, isOverflow, this.definition.buckets?.length ?? 0);
  }

  /** Records one value; negative or non-finite values are dropped and counted (then false is returned). */
  observe(series: HistogramSeries, value: number, trace?: TraceRef): boolean {
    if (!this.accepts(value)) return false;
    const bounds = this.bounds;
    let index = 0;
    if (this.log2Ratio > 0) {
      // floor(log2(value ÷ first bound)) from the float's exponent bits (the sign bit of -0 masked off);
      // rounded up to whole ratios, then moved one bucket down or up where a bound says so.
      FLOAT[0] = value * this.inverseFirstBound;
      const exponent = ((FLOAT_WORDS[HIGH_WORD]! >>> 20) & 0x7ff) - 1023;
      index = exponent < 0 ? 0 : Math.min(bounds.length, ((exponent + this.log2Ratio) / this.log2Ratio) | 0);
      index -= value <= (this.lowerBounds[index] as number) ? 1 : 0;
      index += value > (this.upperBounds[index] as number) ? 1 : 0;
    } else {
      while (index < bounds.length && value > (bounds[index] as number)) index++;
    }
    series.counts[index]! += 1;
    series.sum += value;
    series.count += 1;
    if (trace) (series.exemplars ??= [])[index] = { traceId: trace.traceId, spanId: trace.spanId, value, timestampMs: Date.now() };
    if (series.isOverflow) this.noteFold();
    return true;
  }

  familyName(): string {
    return this.name;
  }

  writeSeries(series: HistogramSeries, format: ExpositionFormat, out: ByteChunks): void {
    const values = series.labelValues;
    const opens = this.labelOpens;
    // Escaping at most doubles a value; a UTF-16 code unit takes at most 3 bytes.
    let valueChars = 0;
    for (let i = 0; i < values.length; i++) valueChars += values[i]!.length;
    const tails = this.leTails;
    let exemplars: string[] | undefined;
    let exemplarBytes = 0;
    if (format === 'openmetrics' && series.exemplars) {
      exemplars = tails.map((_, i) => {
        const exemplar = series.exemplars![i];
        const text = exemplar ? formatExemplar(exemplar) : '';
        exemplarBytes += 3 * text.length;
        return text;
      });
    }
    // Bucket lines, then _sum and _count (shorter than a bucket line).
    out.reserve((tails.length + 2) * (this.lineBytesBesideLabels + 6 * valueChars) + exemplarBytes);
    // `name_bucket{a="x",` is put once, and each later bucket line copies it.
    const headStart = out.position;
    out.putBytes(this.bucketOpen);
    const labelsStart = out.position;
    for (let i = 0; i < opens.length; i++) {
      out.putBytes(opens[i]!);
      out.putText(escapeLabelValue(values[i]!));
      out.putByte(QUOTE);
    }
    const labelsLength = out.position - labelsStart;
    if (labelsLength > 0) out.putByte(COMMA);
    const headLength = out.position - headStart;
    let cumulative = 0;
    for (let i = 0; i < tails.length; i++) {
      if (i > 0) out.putCopy(headStart, headLength);
      out.putBytes(tails[i]!);
      cumulative += series.counts[i]!;
      out.putNumber(cumulative);
      if (exemplars?.[i]) out.putText(exemplars[i]!);
      out.putByte(NEWLINE);
    }
    putSampleStart(out, this.sumName, labelsStart, labelsLength);
    out.putNumber(series.sum);
    out.putByte(NEWLINE);
    putSampleStart(out, this.countName, labelsStart, labelsLength);
    out.putNumber(series.count);
    out.putByte(NEWLINE);
  }
}

const NEWLINE = 0x0a;
const SPACE = 0x20;
const COMMA = 0x2c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** One float and its two 32-bit words, to read a value's binary exponent. */
const FLOAT = new Float64Array(1);
const FLOAT_WORDS = new Uint32Array(FLOAT.buffer);
/** The word holding sign and exponent: the second on little-endian hosts. */
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** log2 of the ratio between consecutive bounds when it is one whole power of two (2, 4, 8…) for all of them; else 0. */
function geometricLog2Ratio(bounds: readonly number[]): number {
  if (bounds.length < 4 || !((bounds[0] as number) > 0)) return 0;
  const log2Ratio = Math.round(Math.log2((bounds[1] as number) / (bounds[0] as number)));
  if (!(log2Ratio >= 1 && log2Ratio <= 8)) return 0;
  const ratio = 2 ** log2Ratio;
  for (let i = 1; i < bounds.length; i++) {
    const expected = (bounds[i - 1] as number) * ratio;
    if (Math.abs((bounds[i] as number) - expected) > expected * 1e-9) return 0;
  }
  return log2Ratio;
}

function encodeName(name: string): Buffer {
  return Buffer.from(name, 'utf8');
}

/** `name{a="x",b="y"} ` or, without labels, `name `, with the label pairs copied from where the bucket lines have them. */
function putSampleStart(out: ByteChunks, name: Uint8Array, labelsStart: number, labelsLength: number): void {
  out.putBytes(name);
  if (labelsLength > 0) {
    out.putByte(OPEN_BRACE);
    out.putCopy(labelsStart, labelsLength);
    out.putByte(CLOSE_BRACE);
  }
  out.putByte(SPACE);
}
