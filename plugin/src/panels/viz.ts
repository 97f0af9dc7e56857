/**
 * What each chart, stat and table asks Grafana to draw: a core panel plugin
 * id, that panel's own options (the shapes of @grafana/schema's panel
 * configs) and field config (unit, decimals, min/max, thresholds). The pages
 * hand these to `PanelRenderer`; tests read them to check each panel asks for
 * the right type, unit and thresholds.
 */
import { ThresholdsMode, type FieldConfigSource, type ThresholdsConfig } from '@grafana/data';
import {
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeSizing,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  PercentChangeColorMode,
  SortOrder,
  TableCellDisplayMode,
  TooltipDisplayMode,
  VizOrientation,
  type TableSortByFieldState,
} from '@grafana/schema';

export type VizPluginId = 'timeseries' | 'stat' | 'bargauge' | 'table';

export interface Viz {
  pluginId: VizPluginId;
  options: Record<string, unknown>;
  fieldConfig: FieldConfigSource;
}

interface FieldDefaults {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: ThresholdsConfig;
}

/** Threshold steps from the lowest colour up: `thresholds('red', [70, 'orange'], [90, 'green'])`. */
export function thresholds(base: string, ...steps: Array<[number, string]>): ThresholdsConfig {
  return { mode: ThresholdsMode.Absolute, steps: [{ value: -Infinity, color: base }, ...steps.map(([value, color]) => ({ value, color }))] };
}

function fieldConfig(defaults: FieldDefaults, custom: Record<string, unknown> = {}): FieldConfigSource {
  const { thresholds: steps, ...rest } = defaults;
  return { defaults: { ...rest, ...(steps ? { thresholds: steps } : {}), custom }, overrides: [] };
}

const REDUCE_LAST = { calcs: ['lastNotNull'], fields: '', values: false };

/**
 * Lines over the page's time range with a time axis, legend and tooltip.
 * With thresholds, their lines (and the bands under them) are drawn too:
 * a score against its bands, a latency against its objective.
 */
export function timeSeriesViz(defaults: FieldDefaults & { thresholdsStyle?: 'line' | 'line+area' | 'area'; softMax?: number }): Viz {
  const { thresholdsStyle, softMax, ...field } = defaults;
  return {
    pluginId: 'timeseries',
    options: {
      legend: { displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] },
      tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
    },
    fieldConfig: fieldConfig(field, {
      drawStyle: GraphDrawStyle.Line,
      lineWidth: 2,
      fillOpacity: 10,
      spanNulls: false,
      showPoints: 'never',
      // The axis reaches at least this far (a threshold stays in view while the data is well below it).
      ...(softMax === undefined ? {} : { axisSoftMax: softMax }),
      thresholdsStyle: { mode: field.thresholds ? toThresholdsStyle(thresholdsStyle ?? 'line') : GraphThresholdsStyleMode.Off },
    }),
  };
}

function toThresholdsStyle(style: 'line' | 'line+area' | 'area'): GraphThresholdsStyleMode {
  return { line: GraphThresholdsStyleMode.Line, 'line+area': GraphThresholdsStyleMode.LineAndArea, area: GraphThresholdsStyleMode.Area }[style];
}

/** Big numbers, one per field, coloured by their thresholds (or plain), with a sparkline when the data is a series. */
export function statViz(defaults: FieldDefaults & { colored?: boolean; sparkline?: boolean }): Viz {
  const { colored, sparkline, ...field } = defaults;
  return {
    pluginId: 'stat',
    options: {
      reduceOptions: REDUCE_LAST,
      orientation: VizOrientation.Auto,
      colorMode: colored ? BigValueColorMode.Value : BigValueColorMode.None,
      graphMode: sparkline ? BigValueGraphMode.Area : BigValueGraphMode.None,
      justifyMode: BigValueJustifyMode.Auto,
      textMode: BigValueTextMode.Auto,
      wideLayout: true,
      showPercentChange: false,
      percentChangeColorMode: PercentChangeColorMode.Standard,
    },
    fieldConfig: fieldConfig({ thresholds: thresholds('text'), ...field }),
  };
}

/** A horizontal bar against a maximum, coloured by thresholds: spend against budget. */
export function barGaugeViz(defaults: FieldDefaults): Viz {
  return {
    pluginId: 'bargauge',
    options: {
      reduceOptions: REDUCE_LAST,
      orientation: VizOrientation.Horizontal,
      displayMode: BarGaugeDisplayMode.Gradient,
      valueMode: BarGaugeValueMode.Color,
      namePlacement: BarGaugeNamePlacement.Hidden,
      showUnfilled: true,
      sizing: BarGaugeSizing.Auto,
      minVizHeight: 16,
      minVizWidth: 8,
      maxVizHeight: 300,
    },
    fieldConfig: fieldConfig(defaults),
  };
}

/** A sortable table; each field brings its unit, decimals, thresholds and links. */
export function tableViz(sortBy: TableSortByFieldState[] = []): Viz {
  return {
    pluginId: 'table',
    options: { showHeader: true, cellHeight: 'sm', frameIndex: 0, sortBy },
    // Narrower than Grafana's default 150 px minimum, so a wide table fits a page; text columns set their own width.
    fieldConfig: fieldConfig({}, { align: 'auto', cellOptions: { type: 'auto' }, inspect: false, minWidth: 80 }),
  };
}

/**
 * A table column's cells drawn as bars between the field's min and max,
 * coloured by its thresholds, the value written beside each bar (Grafana's
 * gauge cell, TableGaugeCellOptions in @grafana/schema); an empty cell has no bar.
 */
export const GAUGE_CELL = { cellOptions: { type: TableCellDisplayMode.Gauge, mode: BarGaugeDisplayMode.Basic, valueDisplayMode: BarGaugeValueMode.Text } } as const;
