/** The core panel plugins the harness can draw, by Grafana plugin id. */
import type { PanelPlugin } from '@grafana/data';
import { barGaugePanel, gaugePanel } from './barGauge';
import { registerStandardOptions } from './registry';
import { statPanel } from './stat';
import { tablePanel } from './table';
import { timeSeriesPanel } from './timeseries';

registerStandardOptions();

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const PLUGINS: Record<string, PanelPlugin<any, any>> = {
  timeseries: timeSeriesPanel,
  stat: statPanel,
  gauge: gaugePanel,
  bargauge: barGaugePanel,
  table: tablePanel,
};

for (const [id, plugin] of Object.entries(PLUGINS)) {
  plugin.meta = { ...plugin.meta, id, name: id, type: 'panel' } as PanelPlugin['meta'];
}

export const PANEL_PLUGIN_IDS = Object.keys(PLUGINS);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getPanelPlugin(pluginId: string): PanelPlugin<any, any> | undefined {
  return PLUGINS[pluginId];
}
