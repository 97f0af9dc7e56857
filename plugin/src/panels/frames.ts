/**
 * Data frames for Grafana's panels, shaped as Grafana's Prometheus data
 * source returns them (one frame per series: a time field and a value field
 * carrying the series' labels), and one-frame tables whose fields carry their
 * own unit, decimals, thresholds and links (as a data source sets field
 * config; the panel's defaults only fill what a field leaves unset).
 */
import { FieldType, createDataFrame, type DataFrame, type FieldConfig } from '@grafana/data';
import type { Series } from '../data/dsQuery';

/** One frame per series; `name` gives its legend (Grafana's `displayNameFromDS`, as a legend format would). */
export function seriesFrames(series: readonly Series[], name: (labels: Record<string, string>) => string, refId = 'A'): DataFrame[] {
  return series.map((s) =>
    createDataFrame({
      refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: s.times },
        { name: 'Value', type: FieldType.number, values: s.values, labels: s.labels, config: { displayNameFromDS: name(s.labels) } },
      ],
    }),
  );
}

/** A table column: its header, its cell value per row and its field config. */
export interface Column<Row> {
  name: string;
  value: (row: Row) => number | string | undefined;
  config?: FieldConfig;
}

/** One table frame, a field per column, a value per row (missing numbers stay empty cells). */
export function tableFrame<Row>(columns: ReadonlyArray<Column<Row>>, rows: readonly Row[], refId = 'A'): DataFrame {
  return createDataFrame({
    refId,
    fields: columns.map((column) => {
      const values = rows.map((row) => column.value(row));
      const numeric = values.some((v) => typeof v === 'number');
      return {
        name: column.name,
        type: numeric ? FieldType.number : FieldType.string,
        values: values.map((v) => (v === undefined ? null : v)),
        config: column.config ?? {},
      };
    }),
  });
}

/** One row of named values: what a stat panel shows as one tile per field. */
export function valuesFrame(values: ReadonlyArray<{ name: string; value: number | undefined; config?: FieldConfig }>, refId = 'A'): DataFrame {
  return createDataFrame({
    refId,
    fields: values.map((v) => ({ name: v.name, type: FieldType.number, values: [v.value ?? null], config: v.config ?? {} })),
  });
}
