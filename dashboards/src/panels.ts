/**
 * Panel helpers: one function per visualisation the dashboards use, each with
 * the dashboard's data source, a unit and a size on the 24-column grid, so the
 * dashboard files read as a list of questions and their PromQL.
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as heatmap from '@grafana/grafana-foundation-sdk/heatmap';
import type * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
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

type AnyPanelBuilder = timeseries.PanelBuilder | stat.PanelBuilder | bargauge.PanelBuilder | heatmap.PanelBuilder;

function withCommon<T extends AnyPanelBuilder>(panel: T, options: PanelOptions, defaults: { w: number; h: number }): T {
  panel
    .title(options.title)
    .description(options.description)
    .datasource(DATASOURCE_REF)
    .span(options.w ?? defaults.w)
    .height(options.h ?? defaults.h)
    .targets(options.queries.map((query, index) => query.refId(String.fromCharCode(65 + index))));
  if (options.unit) panel.unit(options.unit);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.timeFrom) panel.timeFrom(options.timeFrom);
  if (options.mappings) panel.mappings(options.mappings);
  if (options.thresholds) panel.thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([...options.thresholds]));
  return panel;
}

export function timeSeriesPanel(options: PanelOptions & { stacked?: boolean }): timeseries.PanelBuilder {
  const panel = withCommon(new timeseries.PanelBuilder(), options, { w: 12, h: 8 })
    .lineWidth(1)
    .fillOpacity(options.stacked ? 30 : 10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom));
  if (options.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return panel;
}

export function statPanel(options: PanelOptions): stat.PanelBuilder {
  return withCommon(new stat.PanelBuilder(), options, { w: 4, h: 5 })
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(common.BigValueColorMode.Value)
    .graphMode(common.BigValueGraphMode.Area);
}

export function barGaugePanel(options: PanelOptions): bargauge.PanelBuilder {
  return withCommon(new bargauge.PanelBuilder(), options, { w: 8, h: 8 })
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal);
}

/** A heatmap of pre-bucketed histogram data (the query has `format: heatmap`). */
export function heatmapPanel(options: PanelOptions): heatmap.PanelBuilder {
  return withCommon(new heatmap.PanelBuilder(), options, { w: 24, h: 9 })
    .calculate(false)
    .color(new heatmap.HeatmapColorOptionsBuilder().mode(heatmap.HeatmapColorMode.Scheme).scheme('Oranges').scale(heatmap.HeatmapColorScale.Exponential).exponent(0.5))
    .yAxis(new heatmap.YAxisConfigBuilder().unit(options.unit ?? 's'));
}

/** Red below `critical`, amber below `healthy`, green from there (health bands, ratios). */
export function bandThresholds(critical: number, healthy: number): PanelOptions['thresholds'] {
  return [
    { value: null, color: 'red' },
    { value: critical, color: 'orange' },
    { value: healthy, color: 'green' },
  ];
}
