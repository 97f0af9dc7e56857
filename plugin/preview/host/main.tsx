/**
 * The preview host: renders the app's pages outside Grafana the way Grafana
 * does — the Grafana theme in context (`?theme=light|dark`), Grafana's backend
 * service (answered by the harness server on Grafana's own routes), Grafana's
 * panels (`setPanelRenderer`: panelRenderer.tsx), the data source service
 * (`setDataSourceSrv`: dataSourceSrv.ts, over `GET /api/datasources`), a router
 * with the app under `/a/<plugin id>/` and the config page under
 * `/plugins/<plugin id>`.
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AppPlugin, ThemeContext, createTheme, type AppPluginMeta, type GrafanaTheme2 } from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { setPanelRenderer } from '@grafana/runtime/internal';
import { APP_PLUGIN_ID, type AppSettings } from '@modelwatch/conventions';
import App from '../../src/components/App';
import AppConfig from '../../src/components/AppConfig';
import { harnessBackendSrv } from './backendSrv';
import { loadHarnessDataSourceSrv } from './dataSourceSrv';
import { HarnessPanelRenderer } from './panelRenderer';
import { HostBar } from './HostBar';

async function main() {
  // Where Grafana serves its public files; @grafana/ui loads its icons from `<this>build/img/icons/` (served by the harness server).
  Object.assign(window, { __grafana_public_path__: '/public/' });
  const mode = new URLSearchParams(window.location.search).get('theme') === 'light' ? 'light' : 'dark';
  const theme = createTheme({ colors: { mode } });
  config.theme2 = theme;
  config.theme = theme.v1;
  setBackendSrv(harnessBackendSrv);
  setPanelRenderer(HarnessPanelRenderer);
  applyBodyStyle(theme);

  // Grafana has both in its boot data before any plugin code runs.
  const [dataSourceSrv, settings] = await Promise.all([loadHarnessDataSourceSrv(), fetch(`/api/plugins/${APP_PLUGIN_ID}/settings`).then((r) => r.json() as Promise<AppPluginMeta<AppSettings>>)]);
  setDataSourceSrv(dataSourceSrv);
  // The config page reads the app's meta from its plugin object, as in Grafana (module.tsx is not imported: it is Grafana's AMD entry).
  const plugin = new AppPlugin<AppSettings>();
  plugin.meta = settings;
  const root = createRoot(document.getElementById('root') as HTMLElement);
  root.render(
    <ThemeContext.Provider value={theme}>
      <BrowserRouter>
        <HostBar mode={mode} />
        <main style={{ padding: '0 24px 24px' }}>
          <Routes>
            <Route path={`/a/${APP_PLUGIN_ID}/*`} element={<App meta={settings} path={`/a/${APP_PLUGIN_ID}`} query={{}} basename={`/a/${APP_PLUGIN_ID}`} onNavChanged={() => undefined} />} />
            <Route path={`/plugins/${APP_PLUGIN_ID}`} element={<AppConfig plugin={plugin} query={{}} />} />
          </Routes>
        </main>
      </BrowserRouter>
    </ThemeContext.Provider>,
  );
}

function applyBodyStyle(theme: GrafanaTheme2) {
  const body = document.body.style;
  body.margin = '0';
  body.background = theme.colors.background.canvas;
  body.color = theme.colors.text.primary;
  body.fontFamily = theme.typography.fontFamily;
  body.fontSize = `${theme.typography.fontSize}px`;
  document.documentElement.style.colorScheme = theme.colors.mode;
}

void main();
