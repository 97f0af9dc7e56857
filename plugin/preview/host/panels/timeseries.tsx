/**
 * The `timeseries` panel, drawn by @grafana/ui's `TimeSeries` (uPlot): a time
 * axis over the panel's time range, axes in the fields' units, the legend,
 * Grafana's tooltip plugin (`TooltipPlugin2`, whose drag-to-zoom calls
 * `onChangeTimeRange`) and exemplar markers — the parts of grafana/grafana
 * public/app/plugins/panel/timeseries/TimeSeriesPanel.tsx the app's pages use.
 * Option and field config defaults are the timeseries module's
 * (timeseries/config.ts `defaultGraphConfig`, `getGraphFieldConfig`).
 */
import React, { useLayoutEffect, useMemo } from 'react';
import type uPlot from 'uplot';
import { FieldColorModeId, FieldConfigProperty, FieldType, PanelPlugin, formattedValueToString, type DataFrame, type Field, type LinkModel, type PanelProps } from '@grafana/data';
import { TooltipDisplayMode, GraphDrawStyle, GraphGradientMode, LineInterpolation, BarAlignment, StackingMode, VisibilityMode, GraphThresholdsStyleMode, type GraphFieldConfig } from '@grafana/schema';
import { TimeSeries, TooltipPlugin2, VizTooltipContent, VizTooltipFooter, VizTooltipHeader, VizTooltipWrapper, commonOptionsBuilder, type UPlotConfigBuilder, type VizTooltipItem } from '@grafana/ui';
import type { Options } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import { ExemplarsPlugin, isExemplarFrame } from './exemplars';
import { addCustomFieldConfig } from './pluginOptions';
import { useVizReady } from './vizReady';

/** TooltipPlugin2's hover modes (a const enum in its typings). */
const HOVER_ONE_SERIES = 0;
const HOVER_ALL_SERIES = 1;

function TimeSeriesPanel({ data, options, width, height, timeZone, timeRange, onChangeTimeRange }: PanelProps<Options>) {
  const ready = useVizReady();
  const frames = useMemo(() => graphableFrames(data.series), [data.series]);
  const exemplars = useMemo(() => (data.annotations ?? []).filter(isExemplarFrame), [data.annotations]);
  useLayoutEffect(() => {
    if (!frames) ready();
  }, [frames, ready]);
  if (!frames) return <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', height: '100%' }}>No data</div>;
  const tooltip = options.tooltip ?? { mode: TooltipDisplayMode.Single };
  return (
    <TimeSeries frames={frames} structureRev={data.structureRev} timeRange={timeRange} timeZone={timeZone} width={width} height={height} legend={options.legend} options={options}>
      {(config, alignedFrame) => (
        <>
          <DrawnPlugin config={config} onDrawn={ready} />
          {tooltip.mode !== TooltipDisplayMode.None && (
            <TooltipPlugin2
              config={config}
              hoverMode={tooltip.mode === TooltipDisplayMode.Single ? HOVER_ONE_SERIES : HOVER_ALL_SERIES}
              queryZoom={onChangeTimeRange}
              clientZoom={true}
              maxWidth={tooltip.maxWidth}
              getDataLinks={(seriesIdx, dataIdx) => alignedFrame.fields[seriesIdx]?.getLinks?.({ valueRowIndex: dataIdx }) ?? []}
              render={(u, dataIdxs, seriesIdx, isPinned, _dismiss, _range, _viaSync, dataLinks) => (
                <SeriesTooltip u={u} frame={alignedFrame} dataIdxs={dataIdxs} seriesIdx={seriesIdx} isPinned={isPinned} mode={tooltip.mode} dataLinks={dataLinks} />
              )}
            />
          )}
          {exemplars.length > 0 && <ExemplarsPlugin config={config} exemplars={exemplars} />}
        </>
      )}
    </TimeSeries>
  );
}

/** Frames with a time field and at least one number field; undefined when there are none (Grafana's "No data"). */
function graphableFrames(series: DataFrame[]): DataFrame[] | undefined {
  const frames = series.filter((frame) => frame.fields.some((f) => f.type === FieldType.time) && frame.fields.some((f) => f.type === FieldType.number) && frame.length > 0);
  return frames.length > 0 ? frames : undefined;
}

/** Calls `onDrawn` each time uPlot has drawn (axes included). */
function DrawnPlugin({ config, onDrawn }: { config: UPlotConfigBuilder; onDrawn: () => void }) {
  useLayoutEffect(() => {
    config.addHook('draw', () => onDrawn());
  }, [config, onDrawn]);
  return null;
}

interface SeriesTooltipProps {
  u: uPlot;
  frame: DataFrame;
  dataIdxs: Array<number | null>;
  seriesIdx: number | null;
  isPinned: boolean;
  mode: TooltipDisplayMode;
  dataLinks: Array<LinkModel<Field>>;
}

/** Header (the time), one row per series (or the hovered one), the data links as footer: the shape of Grafana's TimeSeriesTooltip. */
function SeriesTooltip({ frame, dataIdxs, seriesIdx, isPinned, mode, dataLinks }: SeriesTooltipProps) {
  const timeField = frame.fields[0];
  const xIdx = dataIdxs[0];
  if (!timeField || xIdx === null || xIdx === undefined) return null;
  const time = timeField.values[xIdx];
  const header: VizTooltipItem = { label: '', value: timeField.display ? formattedValueToString(timeField.display(time)) : String(time) };
  const items: VizTooltipItem[] = [];
  frame.fields.forEach((field, i) => {
    if (i === 0 || field.type !== FieldType.number || field.config.custom?.hideFrom?.tooltip) return;
    if (mode === TooltipDisplayMode.Single && seriesIdx !== null && i !== seriesIdx) return;
    const rowIdx = dataIdxs[i] ?? xIdx;
    const shown = field.display?.(field.values[rowIdx]);
    items.push({
      label: field.state?.displayName ?? field.name,
      value: shown ? formattedValueToString(shown) : String(field.values[rowIdx]),
      color: shown?.color ?? field.state?.seriesIndex?.toString(),
      isActive: seriesIdx === i,
      numeric: shown?.numeric,
    });
  });
  return (
    <VizTooltipWrapper>
      <VizTooltipHeader item={header} isPinned={isPinned} />
      <VizTooltipContent items={items} isPinned={isPinned} />
      {isPinned && dataLinks.length > 0 && <VizTooltipFooter dataLinks={dataLinks} />}
    </VizTooltipWrapper>
  );
}

/** timeseries/config.ts `defaultGraphConfig` plus the defaults of the other custom properties `getGraphFieldConfig` declares. */
export const DEFAULT_GRAPH_CONFIG: Record<string, unknown> = {
  drawStyle: GraphDrawStyle.Line,
  lineInterpolation: LineInterpolation.Linear,
  barAlignment: BarAlignment.Center,
  barWidthFactor: 0.6,
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: GraphGradientMode.None,
  fillBelowTo: undefined,
  lineStyle: undefined,
  spanNulls: false,
  insertNulls: false,
  showPoints: VisibilityMode.Auto,
  showValues: false,
  pointSize: 5,
  transform: undefined,
  thresholdsStyle: { mode: GraphThresholdsStyleMode.Off },
};

const axisDefaults: GraphFieldConfig = { axisGridShow: true, axisCenteredZero: false, axisBorderShow: false };

export const timeSeriesPanel = new PanelPlugin<Options, GraphFieldConfig>(TimeSeriesPanel)
  .useFieldConfig({
    standardOptions: {
      [FieldConfigProperty.Color]: { settings: { byValueSupport: true, bySeriesSupport: true, preferThresholdsMode: false }, defaultValue: { mode: FieldColorModeId.PaletteClassic } },
    },
    useCustomConfig: (builder) => {
      addCustomFieldConfig(builder, DEFAULT_GRAPH_CONFIG);
      commonOptionsBuilder.addStackingConfig(builder, { mode: StackingMode.None, group: 'A' });
      commonOptionsBuilder.addAxisConfig(builder, axisDefaults);
      commonOptionsBuilder.addHideFrom(builder);
    },
  })
  .setPanelOptions((builder) => {
    commonOptionsBuilder.addTooltipOptions(builder);
    commonOptionsBuilder.addLegendOptions(builder);
  });
