/**
 * The `bargauge` and `gauge` panels, drawn by @grafana/ui's `BarGauge` per
 * reduced value (grafana/grafana public/app/plugins/panel/bargauge/BarGaugePanel.tsx).
 * @grafana/ui 13.1 exports no `Gauge`, so a `gauge` panel is drawn as a bar
 * gauge too (its display mode and orientation from the options, else the bar
 * gauge's defaults), with the same values, units, min/max and thresholds.
 */
import React from 'react';
import { PanelPlugin, getDisplayValueAlignmentFactors, type DisplayValueAlignmentFactors, getFieldDisplayValues, VizOrientation, type FieldDisplay, type PanelProps } from '@grafana/data';
import { BarGauge, VizRepeater, useTheme2, type DataLinksContextMenuApi, type VizRepeaterRenderValueProps } from '@grafana/ui';
import { BarGaugeDisplayMode, BarGaugeNamePlacement, BarGaugeValueMode, type ReduceDataOptions, type VizTextDisplayOptions } from '@grafana/schema';
import { defaultOptions as barGaugeDefaults } from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import { defaultOptions as gaugeDefaults } from '@grafana/schema/dist/esm/raw/composable/gauge/panelcfg/x/GaugePanelCfg_types.gen';
import { addOptionDefaults } from './pluginOptions';
import { REDUCE_DEFAULTS } from './stat';
import { useVizReadyOnMount } from './vizReady';
import { withDataLinks } from './withDataLinks';

interface Options {
  reduceOptions: ReduceDataOptions;
  orientation: VizOrientation;
  displayMode?: BarGaugeDisplayMode;
  valueMode?: BarGaugeValueMode;
  namePlacement?: BarGaugeNamePlacement;
  showUnfilled?: boolean;
  text?: VizTextDisplayOptions;
  minVizWidth?: number;
  minVizHeight?: number;
  maxVizHeight?: number;
}

function BarGaugePanel({ data, options, fieldConfig, width, height, replaceVariables, timeZone }: PanelProps<Options>) {
  const theme = useTheme2();
  useVizReadyOnMount();
  const getValues = () => getFieldDisplayValues({ fieldConfig, reduceOptions: options.reduceOptions, replaceVariables, theme, data: data.series, timeZone });
  const renderGauge = ({ value, alignmentFactors, orientation, width, height, count }: VizRepeaterRenderValueProps<FieldDisplay, DisplayValueAlignmentFactors>, menu: DataLinksContextMenuApi) => (
    <BarGauge
      value={value.display}
      width={width}
      height={height}
      orientation={orientation}
      field={value.field}
      text={options.text}
      display={value.view?.getFieldDisplayProcessor(value.colIndex ?? 0)}
      theme={theme}
      itemSpacing={count > 1 ? 8 : 0}
      displayMode={options.displayMode ?? BarGaugeDisplayMode.Gradient}
      onClick={menu.openMenu}
      className={menu.targetClassName}
      alignmentFactors={count > 1 ? alignmentFactors : undefined}
      showUnfilled={options.showUnfilled ?? true}
      valueDisplayMode={options.valueMode}
      namePlacement={options.namePlacement}
    />
  );
  const renderValue = withDataLinks(renderGauge);
  return (
    <VizRepeater<FieldDisplay, DisplayValueAlignmentFactors>
      getValues={getValues}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      renderValue={renderValue}
      width={width}
      height={height}
      source={data}
      itemSpacing={8}
      renderCounter={0}
      orientation={options.orientation ?? VizOrientation.Auto}
      minVizWidth={options.minVizWidth}
      minVizHeight={options.minVizHeight}
      maxVizHeight={options.maxVizHeight}
    />
  );
}

const common = { reduceOptions: REDUCE_DEFAULTS, orientation: VizOrientation.Auto, text: {} };

export const barGaugePanel = new PanelPlugin<Options>(BarGaugePanel).useFieldConfig().setPanelOptions((builder) => addOptionDefaults(builder, { ...barGaugeDefaults, ...common }));

/** Grafana's gauge option defaults (its own `displayMode` does not exist: the bar gauge's default applies). */
export const gaugePanel = new PanelPlugin<Options>(BarGaugePanel)
  .useFieldConfig()
  .setPanelOptions((builder) => addOptionDefaults(builder, { minVizWidth: gaugeDefaults.minVizWidth, minVizHeight: gaugeDefaults.minVizHeight, ...common }));
