/**
 * Every file the generator owns, as repo-relative path and content: the
 * dashboard JSON and the Grafana provisioning YAML. `npm run dashboards` writes
 * them; the golden test checks the committed files equal them.
 */
import { join, relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { SemconvMode } from '@modelwatch/conventions';
import { buildDashboards } from './dashboards';
import { appPluginProvisioning } from './provisioning/app-plugin';
import { dashboardProviderProvisioning } from './provisioning/dashboard-provider';
import { datasourcesProvisioning } from './provisioning/datasources';
import { DASHBOARDS_ROOT, GENERATED_DIR, generatedFileName, renderDashboard } from './render';

export const REPO_ROOT = resolve(DASHBOARDS_ROOT, '..');

export interface GeneratedFile {
  /** Relative to the repo root. */
  path: string;
  content: string;
}

const YAML_HEADER = '# Generated from dashboards/src/provisioning by `npm run dashboards`; edit the TypeScript, not this file.\n';

function yamlFile(path: string, value: unknown): GeneratedFile {
  return { path, content: YAML_HEADER + stringify(value, { lineWidth: 0 }) };
}

/** The files for exporters writing the GenAI names of `mode` (the committed ones: legacy). */
export function generatedFiles(mode: SemconvMode = 'legacy'): GeneratedFile[] {
  const dashboardsDir = relative(REPO_ROOT, GENERATED_DIR);
  return [
    ...buildDashboards(mode).map(({ uid, model }) => ({ path: join(dashboardsDir, generatedFileName(uid)), content: renderDashboard(model) })),
    yamlFile(join('provisioning', 'datasources', 'modelwatch.yaml'), datasourcesProvisioning()),
    yamlFile(join('provisioning', 'dashboards', 'modelwatch.yaml'), dashboardProviderProvisioning()),
    yamlFile(join('provisioning', 'plugins', 'modelwatch.yaml'), appPluginProvisioning(mode)),
  ];
}
