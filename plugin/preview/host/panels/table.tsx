/**
 * The `table` panel. Grafana 13.1's table panel is the data-grid table
 * (`TableNG`: its panelcfg options — `enablePagination`, `frozenColumns`,
 * `maxRowHeight`, `disableKeyboardEvents` — are TableNG's props), exported by
 * @grafana/ui 13.1 from `@grafana/ui/unstable`: cells through the fields'
 * display processors (so with units), data links from `field.getLinks`, the
 * table panel's custom field config (`ui.TableFieldOptions`).
 */
import React from 'react';
import { PanelPlugin, type PanelProps } from '@grafana/data';
import { TableNG } from '@grafana/ui/unstable';
import { defaultTableFieldOptions } from '@grafana/schema';
import { defaultOptions, type Options } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import { addCustomFieldConfig, addOptionDefaults } from './pluginOptions';
import { useVizReadyOnMount } from './vizReady';

function TablePanel({ data, options, fieldConfig, width, height, timeRange, onOptionsChange }: PanelProps<Options>) {
  useVizReadyOnMount();
  const frameIndex = options.frameIndex > 0 && options.frameIndex < data.series.length ? options.frameIndex : 0;
  const frame = data.series[frameIndex];
  if (!frame || frame.fields.length === 0) return <div style={{ padding: 8 }}>No data</div>;
  return (
    <TableNG
      data={frame}
      width={width}
      height={height}
      noHeader={!options.showHeader}
      showTypeIcons={options.showTypeIcons}
      resizable={true}
      sortBy={options.sortBy}
      onSortByChange={(sortBy) => onOptionsChange({ ...options, sortBy })}
      enablePagination={options.enablePagination}
      cellHeight={options.cellHeight}
      maxRowHeight={options.maxRowHeight}
      frozenColumns={options.frozenColumns?.left}
      disableKeyboardEvents={options.disableKeyboardEvents}
      timeRange={timeRange}
      fieldConfig={fieldConfig}
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
