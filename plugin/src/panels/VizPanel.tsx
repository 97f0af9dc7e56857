/**
 * One Grafana panel: the page's frames drawn by Grafana's own panel plugin
 * through `PanelRenderer` (from @grafana/runtime; inside Grafana it is the
 * core renderer, as in Grafana's AI Observability app). A drag on a time
 * series zooms the page's range, as on a dashboard.
 */
import React, { useMemo } from 'react';
import { LoadingState, type AbsoluteTimeRange, type DataFrame, type PanelData, type TimeRange } from '@grafana/data';
import { PanelRenderer } from '@grafana/runtime';
import type { PanelSize } from '../components/Panel';
import type { Viz } from './viz';

interface Props {
  viz: Viz;
  frames: DataFrame[];
  /** Exemplar frames (named `exemplar`), drawn on time series as Grafana's Prometheus data source delivers them. */
  exemplars?: DataFrame[];
  range: TimeRange;
  size: PanelSize;
  onZoom?: (range: AbsoluteTimeRange) => void;
}

export function VizPanel({ viz, frames, exemplars, range, size, onZoom }: Props) {
  const data = useMemo<PanelData>(
    () => ({ state: LoadingState.Done, series: frames, timeRange: range, ...(exemplars?.length ? { annotations: exemplars } : {}) }),
    [frames, exemplars, range],
  );
  return (
    <div data-plugin-id={viz.pluginId}>
      <PanelRenderer
        pluginId={viz.pluginId}
        title=""
        data={data}
        options={viz.options}
        fieldConfig={viz.fieldConfig}
        width={size.width}
        height={size.height}
        timeZone="browser"
        onChangeTimeRange={onZoom}
      />
    </div>
  );
}
