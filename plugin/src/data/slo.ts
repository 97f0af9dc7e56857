/**
 * The objectives of a service as its recorded series describe them: one row
 * per objective and, for AI and cache objectives, per model or cache. Every
 * series carries the objective's labels (name, kind, target, threshold,
 * scope, page or ticket), so no SLO spec is needed in the browser.
 */
import { HEALTH_RECORDING_RULE, LABEL, SLO_KIND, SLO_LABEL, healthBand, type HealthBand, type SloKind } from '@modelwatch/conventions';
import { lastValue, type Series } from './dsQuery';
import { formatBurnRate, formatSli, formatTarget, formatThreshold } from './format';

/** Windows of the SLI and burn-rate columns: now (5m), and the long windows of the two page pairs (1h, 6h). */
export const SLI_COLUMNS = ['5m', '1h'] as const;
export const BURN_RATE_COLUMNS = ['1h', '6h'] as const;
type SliColumn = (typeof SLI_COLUMNS)[number];
type BurnRateColumn = (typeof BURN_RATE_COLUMNS)[number];

export interface ObjectiveRow {
  /** The objective and its model or cache: the series' labels without name, window and component. */
  key: string;
  name: string;
  kind: SloKind;
  target: number;
  /** Latency objectives only. */
  thresholdSeconds?: number;
  /** What it covers in words (`POST /chat`, `every model`), from the spec. */
  scope: string;
  /** The model (`openai/gpt-4o-mini`) or cache (`cache answers`) of a per-model or per-cache row. */
  subject?: string;
  /** Burning its budget fast pages (a user-facing symptom); otherwise it opens a ticket. */
  pages: boolean;
  /** Its health component's score, 0–100; undefined without traffic. */
  score?: number;
  /** 1 − error ratio, per window. */
  sli: Partial<Record<SliColumn, number>>;
  burnRate: Partial<Record<BurnRateColumn, number>>;
  /** Share of the period's error budget left: 1 untouched, 0 or below spent. */
  budgetRemaining?: number;
}

/** The recorded series the rows are read from (instant queries). */
export interface ObjectiveSeries {
  /** `modelwatch:health_component:score` of the service (the non-objective components are skipped). */
  components: readonly Series[];
  /** `modelwatch:slo_error:ratio` at the {@link SLI_COLUMNS} windows. */
  errorRatios: readonly Series[];
  /** `modelwatch:slo_burn_rate:ratio` at the {@link BURN_RATE_COLUMNS} windows. */
  burnRates: readonly Series[];
  budgetRemaining: readonly Series[];
}

const NOT_IDENTITY = new Set(['__name__', SLO_LABEL.window, HEALTH_RECORDING_RULE.componentLabel]);

/** Identity of an objective series across the recorded metrics. */
export function objectiveKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .filter((k) => !NOT_IDENTITY.has(k))
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
}

/** The model or cache a series is about, if any. */
export function subjectOf(labels: Record<string, string>): string | undefined {
  const provider = labels[LABEL.genAiProviderName];
  const model = labels[LABEL.genAiRequestModel];
  if (provider || model) return [provider, model].filter(Boolean).join('/');
  const cache = labels[LABEL.cacheName];
  return cache ? `cache ${cache}` : undefined;
}

const isKind = (value: string | undefined): value is SloKind => (Object.values(SLO_KIND) as string[]).includes(value ?? '');

/** One row per objective and model or cache, worst first: lowest score, then fastest burn over 1h. */
export function readObjectives(series: ObjectiveSeries): ObjectiveRow[] {
  const rows = new Map<string, ObjectiveRow>();
  const rowOf = (labels: Record<string, string>): ObjectiveRow | undefined => {
    const kind = labels[SLO_LABEL.kind];
    const name = labels[SLO_LABEL.name];
    if (!name || !isKind(kind)) return undefined;
    const key = objectiveKey(labels);
    let row = rows.get(key);
    if (!row) {
      const threshold = Number(labels[SLO_LABEL.threshold]);
      row = {
        key,
        name,
        kind,
        target: Number(labels[SLO_LABEL.target]),
        ...(Number.isFinite(threshold) && labels[SLO_LABEL.threshold] !== undefined ? { thresholdSeconds: threshold } : {}),
        scope: labels[SLO_LABEL.scope] ?? '',
        subject: subjectOf(labels),
        pages: labels[SLO_LABEL.alerting] === 'page',
        sli: {},
        burnRate: {},
      };
      rows.set(key, row);
    }
    return row;
  };
  const each = (list: readonly Series[], use: (row: ObjectiveRow, value: number, labels: Record<string, string>) => void) => {
    for (const s of list) {
      const row = rowOf(s.labels);
      const value = lastValue(s);
      if (row && value !== undefined) use(row, value, s.labels);
    }
  };
  each(series.components, (row, value) => (row.score = value));
  each(series.errorRatios, (row, value, labels) => {
    const window = labels[SLO_LABEL.window];
    if ((SLI_COLUMNS as readonly string[]).includes(window ?? '')) row.sli[window as SliColumn] = 1 - value;
  });
  each(series.burnRates, (row, value, labels) => {
    const window = labels[SLO_LABEL.window];
    if ((BURN_RATE_COLUMNS as readonly string[]).includes(window ?? '')) row.burnRate[window as BurnRateColumn] = value;
  });
  each(series.budgetRemaining, (row, value) => (row.budgetRemaining = value));
  return [...rows.values()].sort(worstFirst);
}

function worstFirst(a: ObjectiveRow, b: ObjectiveRow): number {
  const score = (r: ObjectiveRow) => r.score ?? Infinity;
  const burn = (r: ObjectiveRow) => r.burnRate['1h'] ?? -Infinity;
  return score(a) - score(b) || burn(b) - burn(a) || a.name.localeCompare(b.name) || (a.subject ?? '').localeCompare(b.subject ?? '');
}

/** Band of an objective's score; undefined without traffic. */
export function objectiveBand(row: ObjectiveRow): HealthBand | undefined {
  return row.score === undefined ? undefined : healthBand(row.score);
}

/** What the objective covers, for a reader: its model or cache, else its routes in words. */
export function coverage(row: ObjectiveRow): string {
  return row.subject ?? row.scope;
}

/** The objective's promise: `99 % within 10 s`, `99.9 % answered without a 5xx`. */
export function promise(row: Pick<ObjectiveRow, 'kind' | 'thresholdSeconds'>, share: string): string {
  const within = formatThreshold(row.thresholdSeconds);
  switch (row.kind) {
    case SLO_KIND.availability:
      return `${share} answered without a 5xx`;
    case SLO_KIND.httpLatency:
      return `${share} answered within ${within}`;
    case SLO_KIND.aiSuccess:
      return `${share} of calls succeeding`;
    case SLO_KIND.aiTimeToFirstChunk:
      return `${share} of streams with a first chunk within ${within}`;
    case SLO_KIND.aiTimePerOutputToken:
      return `${share} of calls within ${within} per output token`;
    case SLO_KIND.aiDuration:
      return `${share} of calls answered within ${within}`;
    case SLO_KIND.cacheSuccess:
      return `${share} of lookups without an error`;
  }
}

/**
 * Why an objective scores what it does, naming it and what it covers:
 * `POST /chat: latency — 97.00 % answered within 10 s over 1h, target 99 %, burning 3.0× (page)`.
 */
export function explainObjective(row: ObjectiveRow): string {
  const covers = coverage(row);
  const title = covers && !row.name.includes(covers) ? `${row.name} (${covers})` : row.name;
  const window: SliColumn = row.sli['1h'] !== undefined ? '1h' : '5m';
  const sli = row.sli[window];
  const parts = [
    sli === undefined ? 'no traffic yet' : `${promise(row, formatSli(sli))} over ${window}`,
    `target ${formatTarget(row.target)}`,
    ...(row.burnRate['1h'] === undefined ? [] : [`burning ${formatBurnRate(row.burnRate['1h'])}`]),
  ];
  return `${title} — ${parts.join(', ')} (${row.pages ? 'page' : 'ticket'})`;
}
