/** A 0–100 score in its band's colour (healthy, degraded, critical). */
import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { healthBand, type HealthBand } from '@modelwatch/conventions';
import { formatScore } from '../data/format';

export function useBandColor(band: HealthBand): string {
  const theme = useTheme2();
  return { healthy: theme.colors.success.text, degraded: theme.colors.warning.text, critical: theme.colors.error.text }[band];
}

export function ScoreBadge({ score }: { score: number }) {
  return <strong style={{ color: useBandColor(healthBand(score)) }}>{formatScore(score)}</strong>;
}
