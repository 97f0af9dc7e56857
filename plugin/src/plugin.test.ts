/**
 * plugin.json against the required fields of Grafana's plugin.json schema
 * (docs/sources/developers/plugins/plugin.schema.json in grafana/grafana,
 * encoded here), and its includes against the conventions: every app page,
 * and no dashboard (file provisioning loads those).
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { APP_PAGES, APP_PLUGIN_ID, DASHBOARD_UID } from '@modelwatch/conventions';

const pluginJson = JSON.parse(readFileSync(join(__dirname, 'plugin.json'), 'utf8'));

describe('plugin.json', () => {
  it('has the schema-required fields', () => {
    for (const key of ['type', 'name', 'id', 'info', 'dependencies']) expect(pluginJson).toHaveProperty(key);
    for (const key of ['keywords', 'logos', 'author', 'version', 'updated']) expect(pluginJson.info).toHaveProperty(key);
    for (const key of ['small', 'large']) expect(typeof pluginJson.info.logos[key]).toBe('string');
    expect(pluginJson.type).toBe('app');
    expect(pluginJson.id).toMatch(/^[0-9a-z]+-([0-9a-z]+-)?(app|panel|datasource)$/);
    expect(pluginJson.id).toBe(APP_PLUGIN_ID);
    expect(pluginJson.info.version).toMatch(/^(\d+\.\d+\.\d+|%VERSION%)$/);
    expect(pluginJson.info.updated).toMatch(/^(\d{4}-\d{2}-\d{2}|%TODAY%)$/);
  });

  it('supports Grafana 13 (the @grafana/* packages it builds with)', () => {
    expect(pluginJson.dependencies.grafanaDependency).toBe('>=13.0.0');
  });

  it('lists each app page', () => {
    const includes: Array<{ type: string; path: string }> = pluginJson.includes;
    for (const include of includes) expect(['page', 'panel', 'datasource']).toContain(include.type);
    const pages = includes.filter((i) => i.type === 'page').map((i) => i.path);
    for (const page of Object.values(APP_PAGES)) expect(pages).toContain(`/a/%PLUGIN_ID%/${page}`);
  });

  it('bundles no dashboard: Grafana\'s file provisioning is the one mechanism that loads them', () => {
    // Included dashboards are imported by Grafana with overwrite into the General folder when the plugin's version
    // changes (pkg/services/plugindashboards/service/dashboard_updater.go, syncPluginDashboards), with the same uids
    // the file provider loads into the Modelwatch folder.
    expect(pluginJson.includes.filter((i: { type: string }) => i.type === 'dashboard')).toEqual([]);
    const root = join(__dirname, '..', '..');
    const providers = readFileSync(join(root, 'provisioning', 'dashboards', 'modelwatch.yaml'), 'utf8');
    expect(providers.match(/^ {4}type: \S+$/gm)).toEqual(['    type: file']);
    for (const uid of Object.values(DASHBOARD_UID)) expect(existsSync(join(root, 'dashboards', 'generated', `${uid}.json`))).toBe(true);
  });
});
