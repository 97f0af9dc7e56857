/** Joins several results on some labels into one row per label combination (a table from instant queries). */
import { lastValue, type Series } from './dsQuery';

export function keyOf(labels: Record<string, string>, by: readonly string[]): string {
  return by.map((l) => labels[l] ?? '').join('/');
}

export interface JoinedRow<K extends string> {
  key: string;
  labels: Record<string, string>;
  values: Partial<Record<K, number>>;
}

export function joinOn<K extends string>(by: readonly string[], columns: Record<K, readonly Series[]>): Array<JoinedRow<K>> {
  const rows = new Map<string, JoinedRow<K>>();
  for (const column of Object.keys(columns) as K[]) {
    for (const series of columns[column]) {
      const key = keyOf(series.labels, by);
      const row: JoinedRow<K> = rows.get(key) ?? { key, labels: Object.fromEntries(by.map((l) => [l, series.labels[l] ?? ''])), values: {} };
      const value = lastValue(series);
      if (value !== undefined) row.values[column] = value;
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
}
