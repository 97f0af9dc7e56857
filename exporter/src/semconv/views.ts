import type { MetricDefinition } from '@modelwatch/conventions';
import { Counter, type CounterSeries } from '../metrics/counter';
import { Histogram, type HistogramSeries } from '../metrics/histogram';
import type { MetricHooks, Series } from '../metrics/labelled-metric';

/**
 * A recorded series' label values under a view's labels (in the view's label order), or undefined
 * when the view leaves that series out.
 */
export type Relabel = (labelValues: readonly string[]) => readonly string[] | undefined;

/** Nothing is recorded into a view, so nothing folds or is rejected there. */
const NO_HOOKS: MetricHooks = { onFold: () => undefined, onInvalidValue: () => undefined };

/**
 * Series of a view, built from the recorded series when exposition asks for them: the per-call path
 * records once, under the recorded metric's name, whatever the mode.
 *
 * A relabelled series is an object whose prototype is the recorded series, with label values of its
 * own: its counts, sum and value are read through to the recorded series at the moment they are
 * written, so a histogram's buckets, sum and count still agree when calls land during a scrape.
 * Each recorded series is looked at once; later scrapes find its view series in `views`.
 */
function viewSeries<S extends Series>(recorded: readonly S[], views: WeakMap<S, S | null>, relabel: Relabel): S[] {
  const out: S[] = [];
  for (const series of recorded) {
    let view = views.get(series);
    if (view === undefined) {
      const labelValues = relabel(series.labelValues);
      view = labelValues === undefined ? null : sameValues(labelValues, series.labelValues) ? series : (Object.create(series, { labelValues: { value: labelValues } }) as S);
      views.set(series, view);
    }
    if (view !== null) out.push(view);
  }
  return out;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** A histogram family written from some series of a recorded histogram, under another name and labels. */
export class HistogramView extends Histogram {
  private readonly views = new WeakMap<HistogramSeries, HistogramSeries | null>();

  constructor(
    definition: MetricDefinition,
    private readonly recorded: Histogram,
    private readonly relabel: Relabel,
  ) {
    super(definition, NO_HOOKS, { cap: 1 });
    // Bucket lines are written with this family's bounds from the recorded series' counts.
    if (!sameBounds(this.bounds, recorded.bounds)) throw new Error(`${definition.name} cannot be written from ${recorded.name}: their buckets differ`);
  }

  override all(): readonly HistogramSeries[] {
    return viewSeries(this.recorded.all(), this.views, this.relabel);
  }
}

/** A counter family written from some series of a recorded counter, under another name and labels. */
export class CounterView extends Counter {
  private readonly views = new WeakMap<CounterSeries, CounterSeries | null>();

  constructor(
    definition: MetricDefinition,
    private readonly recorded: Counter,
    private readonly relabel: Relabel,
  ) {
    super(definition, NO_HOOKS, { cap: 1 });
  }

  override all(): readonly CounterSeries[] {
    return viewSeries(this.recorded.all(), this.views, this.relabel);
  }
}

function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((bound, i) => bound === b[i]);
}
