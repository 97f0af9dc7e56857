/**
 * The `table` panel, drawn by @grafana/ui's `Table` (cells through the fields'
 * display processors, so with units; data links from `field.getLinks`), with
 * the table panel's options and custom field config
 * (grafana/grafana public/app/plugins/panel/table/module.tsx, TablePanel.tsx).
 */
import React from 'react';
import { PanelPlugin, type PanelProps } from '@grafana/data';
import { Table, type TableSortByFieldState } from '@grafana/ui';
import { defaultTableFieldOptions, type TableCellHeight } from '@grafana/schema';
import { defaultOptions, type Options } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import { addCustomFieldConfig, addOptionDefaults } from './pluginOptions';
import { useVizReadyOnMount } from './vizReady';

function TablePanel({ data, options, fieldConfig, width, height, timeRange, replaceVariables }: PanelProps<Options>) {
  useVizReadyOnMount();
  const frame = data.series[options.frameIndex ?? 0] ?? data.series[0];
  if (!frame || frame.fields.length === 0) return <div style={{ padding: 8 }}>No data</div>;
  return (
    <Table
      data={frame}
      width={width}
      height={height}
      noHeader={!options.showHeader}
      showTypeIcons={options.showTypeIcons}
      resizable={true}
      initialSortBy={options.sortBy as TableSortByFieldState[] | undefined}
      cellHeight={options.cellHeight as TableCellHeight | undefined}
      timeRange={timeRange}
      fieldConfig={fieldConfig}
      replaceVariables={replaceVariables}
    />
  );
}

/** `ui.TableFieldOptions` (@grafana/schema), the table panel's custom field config. */
const TABLE_FIELD_OPTIONS: Record<string, unknown> = {
  align: defaultTableFieldOptions.align,
  cellOptions: { type: 'auto' },
  inspect: defaultTableFieldOptions.inspect,
  width: undefined,
  minWidth: 150,
  hidden: undefined,
  hideHeader: undefined,
  filterable: undefined,
  footer: undefined,
  wrapText: undefined,
  wrapHeaderText: undefined,
  displayMode: undefined,
  tooltip: undefined,
  styleField: undefined,
};

export const tablePanel = new PanelPlugin<Options>(TablePanel)
  .useFieldConfig({ useCustomConfig: (builder) => addCustomFieldConfig(builder, TABLE_FIELD_OPTIONS) })
  .setPanelOptions((builder) => addOptionDefaults(builder, { ...defaultOptions }));
