/**
 * What the Cache page's Grafana panels show: per cache its hit ratio,
 * lookups, p95 latency, AI spend saved and health (coloured by band), and hit
 * ratio and latency over time.
 */
import { LABEL } from '@modelwatch/conventions';
import type { Series } from '../data/dsQuery';
import type { JoinedRow } from '../data/join';
import { seriesFrames, tableFrame } from '../panels/frames';
import { UNIT, requestRateScale } from '../panels/units';
import { tableViz, timeSeriesViz } from '../panels/viz';
import { HEALTH_THRESHOLDS, type PanelContent } from './overviewPanels';

export type CacheRow = JoinedRow<'hitRatio' | 'lookups' | 'p95' | 'savedPerHour' | 'score'>;

const cacheName = (labels: Record<string, string>) => labels[LABEL.cacheName] ?? '';

export function cachesPanel(rows: readonly CacheRow[]): PanelContent {
  const lookups = requestRateScale(rows.map((row) => row.values.lookups));
  return {
    viz: tableViz(),
    frames: [
      tableFrame<CacheRow>(
        [
          { name: 'Cache', value: (row) => row.key },
          { name: 'Hit ratio', value: (row) => row.values.hitRatio, config: { unit: UNIT.ratio, decimals: 1 } },
          { name: 'Lookups (5m)', value: (row) => (row.values.lookups === undefined ? undefined : row.values.lookups * lookups.factor), config: { unit: lookups.unit, decimals: 2 } },
          { name: 'p95 latency', value: (row) => row.values.p95, config: { unit: UNIT.seconds } },
          { name: 'Saved per hour (5m)', value: (row) => row.values.savedPerHour, config: { unit: UNIT.usd } },
          { name: 'Health', value: (row) => row.values.score, config: { unit: UNIT.score, decimals: 0, min: 0, max: 100, thresholds: HEALTH_THRESHOLDS, custom: { cellOptions: { type: 'color-text' } } } },
        ],
        rows,
      ),
    ],
  };
}

export function hitRatioPanel(series: readonly Series[]): PanelContent {
  return { viz: timeSeriesViz({ unit: UNIT.ratio, min: 0, max: 1, decimals: 0 }), frames: seriesFrames(series, cacheName) };
}

export function cacheLatencyPanel(series: readonly Series[]): PanelContent {
  return { viz: timeSeriesViz({ unit: UNIT.seconds, min: 0 }), frames: seriesFrames(series, cacheName) };
}
