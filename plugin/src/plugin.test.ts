/**
 * plugin.json against the required fields of Grafana's plugin.json schema
 * (docs/sources/developers/plugins/plugin.schema.json in grafana/grafana,
 * encoded here), and its includes against the conventions: every app page,
 * every bundled dashboard.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { APP_PAGES, APP_PLUGIN_ID, DASHBOARD_UID } from '@modelwatch/exporter/conventions';

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

  it('lists each app page and each bundled dashboard', () => {
    const includes: Array<{ type: string; path: string }> = pluginJson.includes;
    for (const include of includes) expect(['page', 'dashboard', 'panel', 'datasource']).toContain(include.type);
    const pages = includes.filter((i) => i.type === 'page').map((i) => i.path);
    for (const page of Object.values(APP_PAGES)) expect(pages).toContain(`/a/%PLUGIN_ID%/${page}`);
    const dashboards = includes.filter((i) => i.type === 'dashboard').map((i) => i.path);
    expect(dashboards.sort()).toEqual(Object.values(DASHBOARD_UID).map((uid) => `dashboards/${uid}.json`).sort());
    // The build copies them from the dashboards workspace's generated output.
    for (const uid of Object.values(DASHBOARD_UID)) expect(existsSync(join(__dirname, '..', '..', 'dashboards', 'generated', `${uid}.json`))).toBe(true);
  });
});
