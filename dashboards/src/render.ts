/**
 * Where the generated dashboards live and how they are written: one
 * `<uid>.json` per dashboard in dashboards/generated/ (committed; the app
 * plugin bundles these files and provisioning loads them).
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { join, resolve } from 'node:path';

/** dashboards/ (this file sits in src/ or dist/). */
export const DASHBOARDS_ROOT = resolve(__dirname, '..');
export const GENERATED_DIR = join(DASHBOARDS_ROOT, 'generated');

export function generatedFileName(uid: string): string {
  return `${uid}.json`;
}

/** Stable text: two-space JSON with a final newline, so diffs of regenerated files stay readable. */
export function renderDashboard(model: dashboard.Dashboard): string {
  return `${JSON.stringify(model, null, 2)}\n`;
}
