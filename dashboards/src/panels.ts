/**
 * Panel helpers: one function per visualisation the dashboards use, each with
 * the dashboard's data source, a unit and a size on the 24-column grid, so the
 * dashboard files read as a list of questions and their PromQL.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { HEALTH_BANDS } from '@modelwatch/conventions';
import { promQuery } from './query';
import { DATASOURCE_REF } from './variables';

export interface PanelOptions {
  title: string;
  description: string;
  queries: readonly prometheus.DataqueryBuilder[];
  /** Grafana unit id, e.g. `percentunit`, `s`, `reqps`, `currencyUSD`. */
  unit?: string;
  /** Columns of 24. @defaultValue 12 */
  w?: number;
  /** @defaultValue 8 */
  h?: number;
  /** Colour steps, lowest first (`value` of the first is ignored). */
  thresholds?: readonly { value: number | null; color: string }[];
  min?: number;
  max?: number;
  /** Overrides the dashboard time range, e.g. `now/d` for "today". */
  timeFrom?: string;
  mappings?: dashboard.ValueMapping[];
}

type AnyPanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | heatmap.PanelBuilder | table.PanelBuilder;

/** The refId of a panel's query by its position: A, B, C… */
function refId(index: number): string {
  return String.fromCharCode(65 + index);
}

function withCommon<T extends AnyPanelBuilder>(panel: T, options: PanelOptions, defaults: { w: number; h: number }): T {
  panel
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE_REF)
    .span(options.w ?? defaults.w)
    .height(options.h ?? defaults.h)
    .targets(options.queries.map((query, index) => query.refId(refId(index))));
  if (options.unit) panel.unit(options.unit);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.timeFrom) panel.timeFrom(options.timeFrom);
  if (options.mappings) panel.mappings(options.mappings);
  if (options.thresholds) panel.thresholds(thresholdsConfig(options.thresholds));
  return panel;
}

function thresholdsConfig(steps: NonNullable<PanelOptions['thresholds']>): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([...steps]);
}

export interface TimeSeriesOptions extends PanelOptions {
  stacked?: boolean;
  /**
   * Draws the thresholds as horizontal lines, the highest kept in view even
   * when no series reaches it. Grafana's time series "Show thresholds: As
   * lines" is the field's `custom.thresholdsStyle: { mode: "line" }`
   * (GraphFieldConfig.thresholdsStyle in grafana/grafana
   * packages/grafana-schema/src/common/mudball.cue; docs:
   * https://grafana.com/docs/grafana/latest/panels-visualizations/visualizations/time-series/#thresholds).
   */
  thresholdLines?: boolean;
}

export function timeSeriesPanel(options: TimeSeriesOptions): timeseries.PanelBuilder {
  const panel = withCommon(new timeseries.PanelBuilder(), options, { w: 12, h: 8 })
    .lineWidth(1)
    .fillOpacity(options.stacked ? 30 : 10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.thresholdLines) {
    panel.thresholdsStyle(new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Line));
    const highest = Math.max(...(options.thresholds ?? []).map((step) => step.value ?? -Infinity));
    if (Number.isFinite(highest)) panel.axisSoftMax(highest);
  }
  return panel;
}

export function statPanel(options: PanelOptions): stat.PanelBuilder {
  return withCommon(new stat.PanelBuilder(), options, { w: 4, h: 5 })
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area);
}

/** A heatmap of pre-bucketed histogram data (the query has `format: heatmap`). */
export function heatmapPanel(options: PanelOptions): heatmap.PanelBuilder {
  return withCommon(new heatmap.PanelBuilder(), options, { w: 24, h: 9 })
    .calculate(false)
    .color(new heatmap.HeatmapColorOptionsBuilder().mode(heatmap.HeatmapColorMode.Scheme).scheme('Oranges').scale(heatmap.HeatmapColorScale.Exponential).exponent(0.5))
    .yAxis(new heatmap.YAxisConfigBuilder().unit(options.unit ?? 's'));
}

/** Red below `critical`, amber below `healthy`, green from there. */
function bandThresholds(critical: number, healthy: number): PanelOptions['thresholds'] {
  return [
    { value: null, color: 'red' },
    { value: critical, color: 'orange' },
    { value: healthy, color: 'green' },
  ];
}

/** The health score's bands: critical, degraded, healthy. */
export const HEALTH_SCORE_THRESHOLDS = bandThresholds(HEALTH_BANDS.degraded, HEALTH_BANDS.healthy);

/** A column of a table panel showing a label of the series. */
export interface LabelColumn {
  label: string;
  title: string;
  /** Reads the label's text as a number in this unit (an objective's target or threshold). */
  unit?: string;
}

/** A column of a table panel showing the value of an instant query. */
export interface ValueColumn {
  title: string;
  expr: string;
  unit?: string;
  decimals?: number;
  /** Colours the cell's text by these steps (or the bar, with `bar`). */
  thresholds?: PanelOptions['thresholds'];
  /** Draws the value as a bar from `min` to `max` (a share of a budget, of a rate limit), the value written beside it. */
  bar?: { min: number; max: number };
}

export type TableColumn = LabelColumn | ValueColumn;

export interface TableOptions extends Pick<PanelOptions, 'title' | 'description' | 'w' | 'h' | 'mappings'> {
  /** In the order shown. */
  columns: readonly TableColumn[];
  /** Title of the value column the rows are sorted by, lowest (worst) first, or highest first with `highestFirst`. */
  worstFirstBy: string;
  /** The highest value is the worst (spend): it comes first. */
  highestFirst?: boolean;
}

/**
 * The field a column reads after the Prometheus data source turned each
 * table-format query into one frame: a field per label, the value in
 * `Value #<refId>`, or `Value` when the panel has one query
 * (grafana/grafana packages/grafana-prometheus/src/result_transformer.ts,
 * transformDFToTable and getValueText: `responseLength > 1 ? \`Value #${refId}\` : 'Value'`).
 */
function fieldOf(column: TableColumn, valueColumns: readonly ValueColumn[]): string {
  if ('label' in column) return column.label;
  return valueColumns.length > 1 ? `Value #${refId(valueColumns.indexOf(column))}` : 'Value';
}

/**
 * A table of one row per label set: each value column is an instant query,
 * grouped by the label columns so every query yields the same label fields,
 * which the merge transformation keys the rows on. Transformations, in
 * Grafana's order (each reads the previous one's output; ids and options as in
 * grafana/grafana packages/grafana-data/src/transformations/transformers/ and
 * https://grafana.com/docs/grafana/latest/panels-visualizations/query-transform-data/transform-data/):
 *
 * - `merge` (merge.ts): one frame, rows of equal values in the fields every
 *   frame has (the labels and the instant's Time) joined into one row;
 * - `convertFieldType` (convertFieldType.ts): label columns with a unit from
 *   text to numbers (an empty label becomes no value);
 * - `organize` (organize.ts): drops Time, orders the columns, titles them.
 *
 * Field overrides match by the field's own name as well as its display name
 * (fieldNameMatcher in packages/grafana-data/src/transformations/matchers/nameMatcher.ts:
 * `name === displayName … || name === field.name`), so they name fields
 * before organize retitles them; the sort names the title. Their property
 * ids are the registry's (setDynamicConfigValue in
 * packages/grafana-data/src/field/fieldOverrides.ts): `unit`, `decimals`,
 * `thresholds`, `min`, `max` (FieldConfigProperty), and `custom.cellOptions`,
 * the table's own TableFieldOptions.cellOptions (packages/grafana-schema/src/common/table.cue)
 * set to colour the text by the thresholds, or to draw a bar gauge between
 * min and max coloured by them (TableGaugeCellOptions: `gauge`, its `mode`
 * and `valueDisplayMode`).
 */
export function tablePanel(options: TableOptions): table.PanelBuilder {
  const labelColumns = options.columns.filter((column): column is LabelColumn => 'label' in column);
  const valueColumns = options.columns.filter((column): column is ValueColumn => 'expr' in column);
  const by = labelColumns.map((column) => column.label).join(', ');
  const queries = valueColumns.map((column) => promQuery(`max by (${by}) (${column.expr})`, { instant: true, table: true }));
  const numericLabels = labelColumns.filter((column) => column.unit !== undefined);
  const panel = withCommon(new table.PanelBuilder(), { ...options, queries }, { w: 24, h: 8 }).transformations([
    ...(valueColumns.length > 1 ? [{ id: 'merge', options: {} }] : []),
    ...(numericLabels.length > 0 ? [{ id: 'convertFieldType', options: { conversions: numericLabels.map((column) => ({ targetField: column.label, destinationType: 'number' })) } }] : []),
    {
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        indexByName: Object.fromEntries(options.columns.map((column, index) => [fieldOf(column, valueColumns), index])),
        renameByName: Object.fromEntries(options.columns.map((column) => [fieldOf(column, valueColumns), column.title])),
      },
    },
  ]);
  for (const column of options.columns) {
    const properties: dashboard.DynamicConfigValue[] = [];
    if (column.unit) properties.push({ id: 'unit', value: column.unit });
    if ('expr' in column && column.decimals !== undefined) properties.push({ id: 'decimals', value: column.decimals });
    if ('expr' in column && column.thresholds) properties.push({ id: 'thresholds', value: thresholdsConfig(column.thresholds).build() });
    if ('expr' in column && column.bar) {
      properties.push({ id: 'min', value: column.bar.min }, { id: 'max', value: column.bar.max });
      properties.push({ id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.Gauge, mode: common.BarGaugeDisplayMode.Basic, valueDisplayMode: common.BarGaugeValueMode.Text } });
    } else if ('expr' in column && column.thresholds) {
      properties.push({ id: 'custom.cellOptions', value: { type: common.TableCellDisplayMode.ColorText } });
    }
    if (properties.length > 0) panel.overrideByName(fieldOf(column, valueColumns), properties);
  }
  return panel.sortBy([new common.TableSortByFieldStateBuilder().displayName(options.worstFirstBy).desc(options.highestFirst ?? false)]);
}
