/**
 * The harness's `PanelRenderer` (registered with `setPanelRenderer`, as
 * Grafana registers its own at start-up). It does what grafana/grafana
 * public/app/features/panel/components/PanelRenderer.tsx does — options and
 * field config with the plugin's defaults (`getPanelOptionsWithDefaults`), the
 * field overrides applied with the theme, time zone and the template
 * service's `replace` (`useFieldOverrides`: units, decimals, thresholds,
 * colours and data links through Grafana's display processors), then the
 * panel component with `PanelProps` — and draws the core panels with
 * @grafana/ui's own components (panels/).
 *
 * Its root is `<div data-viz="<pluginId>">`, with `data-viz-ready="true"` once
 * the chart is drawn (for a time series: after uPlot's first draw). An unknown
 * plugin id renders a message, as Grafana's does when a plugin fails to load.
 */
import React, { useCallback, useMemo, useState } from 'react';
import { EventBusSrv, getPanelOptionsWithDefaults, getTimeZone, useFieldOverrides, type FieldConfigSource, type PanelData } from '@grafana/data';
import type { PanelRendererProps } from '@grafana/runtime';
import { ErrorBoundaryAlert, PanelContextProvider, useTheme2 } from '@grafana/ui';
import { getPanelPlugin, PANEL_PLUGIN_IDS } from './panels';
import { VizReadyContext } from './panels/vizReady';
import { replaceVariables } from './replaceVariables';

const defaultFieldConfig: FieldConfigSource = { defaults: {}, overrides: [] };
const eventBus = new EventBusSrv();
const noop = () => undefined;
/** Grafana's PanelRenderer hands the panel an identity `replaceVariables`: the template service already ran in the field overrides. */
const identity = (value: string) => value;

export function HarnessPanelRenderer(props: PanelRendererProps) {
  const { pluginId, data, timeZone = getTimeZone(), options, width, height, title, onOptionsChange = noop, onChangeTimeRange = noop, onFieldConfigChange = noop, fieldConfig = defaultFieldConfig } = props;
  const theme = useTheme2();
  const plugin = getPanelPlugin(pluginId);
  const [drawn, setDrawn] = useState(false);
  const markDrawn = useCallback(() => setDrawn(true), []);
  const withDefaults = useMemo(
    () => (plugin ? getPanelOptionsWithDefaults({ plugin, currentOptions: options ?? {}, currentFieldConfig: fieldConfig, isAfterPluginChange: false }) : undefined),
    [plugin, options, fieldConfig],
  );
  const dataWithOverrides: PanelData | undefined = useFieldOverrides(plugin, withDefaults?.fieldConfig, data, timeZone, theme, replaceVariables);
  const panelContext = useMemo(() => ({ eventsScope: 'global', eventBus }), []);

  const root = (children: React.ReactNode, ready: boolean) => (
    <div data-viz={pluginId} data-viz-ready={ready ? 'true' : undefined} style={{ position: 'relative', width, height }}>
      {children}
    </div>
  );
  if (!plugin?.panel) return root(<div role="alert">{`Panel plugin "${pluginId}" is not available in the preview harness (it draws ${PANEL_PLUGIN_IDS.join(', ')}).`}</div>, true);
  if (!dataWithOverrides || !withDefaults) return root(<div>No panel data</div>, true);
  const PanelComponent = plugin.panel;
  return root(
    <ErrorBoundaryAlert boundaryName="panel-renderer" dependencies={[plugin, data]}>
      <PanelContextProvider value={panelContext}>
        <VizReadyContext.Provider value={markDrawn}>
          <PanelComponent
            id={1}
            data={dataWithOverrides}
            title={title}
            timeRange={dataWithOverrides.timeRange}
            timeZone={timeZone}
            options={withDefaults.options}
            fieldConfig={fieldConfig}
            transparent={false}
            width={width}
            height={height}
            renderCounter={0}
            replaceVariables={identity}
            onOptionsChange={onOptionsChange}
            onFieldConfigChange={onFieldConfigChange}
            onChangeTimeRange={onChangeTimeRange}
            eventBus={eventBus}
          />
        </VizReadyContext.Provider>
      </PanelContextProvider>
    </ErrorBoundaryAlert>,
    drawn,
  );
}
