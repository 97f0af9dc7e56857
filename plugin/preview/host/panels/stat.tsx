/**
 * The `stat` panel: each reduced value drawn by @grafana/ui's `BigValue`, laid
 * out by `VizRepeater`, a value with data links opening Grafana's
 * `DataLinksContextMenu` — as grafana/grafana
 * public/app/plugins/panel/stat/StatPanel.tsx does.
 */
import React from 'react';
import { PanelPlugin, getDisplayValueAlignmentFactors, type DisplayValueAlignmentFactors, getFieldDisplayValues, ReducerID, VizOrientation, type FieldDisplay, type PanelProps } from '@grafana/data';
import { BigValue, VizRepeater, useTheme2, type BigValueColorMode, type BigValueGraphMode, type BigValueJustifyMode, type BigValueTextMode, type DataLinksContextMenuApi, type VizRepeaterRenderValueProps } from '@grafana/ui';
import { defaultOptions, type Options } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import { addOptionDefaults } from './pluginOptions';
import { useVizReadyOnMount } from './vizReady';
import { withDataLinks } from './withDataLinks';

/** Grafana's stat/common.ts `addStandardDataReduceOptions` defaults. */
export const REDUCE_DEFAULTS = { values: false, calcs: [ReducerID.lastNotNull], fields: '' };

function StatPanel({ data, options, fieldConfig, width, height, replaceVariables, timeZone, timeRange }: PanelProps<Options>) {
  const theme = useTheme2();
  useVizReadyOnMount();
  const getValues = () =>
    getFieldDisplayValues({
      fieldConfig,
      reduceOptions: options.reduceOptions,
      replaceVariables,
      theme,
      data: data.series,
      sparkline: options.graphMode !== 'none',
      percentChange: options.showPercentChange,
      timeZone,
    });
  const renderBigValue = ({ value, alignmentFactors, width, height, count }: VizRepeaterRenderValueProps<FieldDisplay, DisplayValueAlignmentFactors>, menu: DataLinksContextMenuApi) => {
    const sparkline = value.sparkline ? { ...value.sparkline, timeRange } : undefined;
    return (
      <BigValue
        value={value.display}
        count={count}
        sparkline={sparkline}
        colorMode={options.colorMode as BigValueColorMode}
        graphMode={options.graphMode as BigValueGraphMode}
        justifyMode={options.justifyMode as BigValueJustifyMode}
        textMode={options.textMode as BigValueTextMode}
        alignmentFactors={alignmentFactors}
        text={options.text}
        width={width}
        height={height}
        theme={theme}
        onClick={menu.openMenu}
        className={menu.targetClassName}
        disableWideLayout={!options.wideLayout}
        percentChangeColorMode={options.percentChangeColorMode}
      />
    );
  };
  const renderValue = withDataLinks(renderBigValue);
  return (
    <VizRepeater<FieldDisplay, DisplayValueAlignmentFactors>
      getValues={getValues}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      renderValue={renderValue}
      width={width}
      height={height}
      source={data}
      itemSpacing={3}
      renderCounter={0}
      autoGrid={true}
      orientation={options.orientation ?? VizOrientation.Auto}
    />
  );
}

export const statPanel = new PanelPlugin<Options>(StatPanel).useFieldConfig().setPanelOptions((builder) =>
  addOptionDefaults(builder, { ...defaultOptions, reduceOptions: REDUCE_DEFAULTS, orientation: VizOrientation.Auto, text: {} }),
);
