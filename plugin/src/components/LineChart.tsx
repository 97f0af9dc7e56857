/**
 * A small theme-aware line chart (SVG) of a few series over the selected
 * range, with a legend. Enough for trends on the app pages; the bundled
 * dashboards carry the full Grafana panels.
 */
import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { Series } from '../data/dsQuery';

interface Props {
  series: readonly Series[];
  legend: (labels: Record<string, string>) => string;
  format: (value: number) => string;
  range: { from: number; to: number };
  height?: number;
  /** Fixed y-axis maximum (e.g. 1 for ratios, 100 for scores). */
  max?: number;
  testId?: string;
}

const WIDTH = 600;
const PALETTE = ['green', 'blue', 'orange', 'purple', 'yellow', 'red', 'dark-green', 'dark-blue'];

export function LineChart({ series, legend, format, range, height = 160, max, testId }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  const top = max ?? (Math.max(...values, 0) * 1.1 || 1);
  const span = Math.max(1, range.to - range.from);
  const x = (t: number) => ((t - range.from) / span) * WIDTH;
  const y = (v: number) => height - (v / top) * height;
  return (
    <div data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} preserveAspectRatio="none" className={styles.svg} style={{ height }} role="img">
        {[0.25, 0.5, 0.75].map((f) => (
          <line key={f} x1={0} x2={WIDTH} y1={height * f} y2={height * f} stroke={theme.colors.border.weak} strokeWidth={1} vectorEffect="non-scaling-stroke" />
        ))}
        {series.map((s, i) => (
          <path
            key={legend(s.labels) + i}
            d={pathOf(s, x, y)}
            fill="none"
            stroke={theme.visualization.getColorByName(PALETTE[i % PALETTE.length] ?? 'green')}
            strokeWidth={2}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      <div className={styles.axis}>
        <span>max {format(top)}</span>
      </div>
      <div className={styles.legend}>
        {series.map((s, i) => (
          <span key={legend(s.labels) + i} className={styles.legendItem}>
            <i style={{ background: theme.visualization.getColorByName(PALETTE[i % PALETTE.length] ?? 'green') }} />
            {legend(s.labels)}
          </span>
        ))}
      </div>
    </div>
  );
}

function pathOf(series: Series, x: (t: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = 'M';
  series.values.forEach((value, i) => {
    const time = series.times[i];
    if (value === null || !Number.isFinite(value) || time === undefined) {
      pen = 'M';
      return;
    }
    d += `${pen}${x(time).toFixed(1)},${y(value).toFixed(1)} `;
    pen = 'L';
  });
  return d;
}

const getStyles = (theme: GrafanaTheme2) => ({
  svg: css({ width: '100%', display: 'block' }),
  axis: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize, textAlign: 'right' }),
  legend: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1.5), fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
  legendItem: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    i: { display: 'inline-block', width: 10, height: 3, borderRadius: 2 },
  }),
});
