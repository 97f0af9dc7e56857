/** The app's root page: the four pages under `/a/<plugin id>/`, Overview by default. */
import React, { useMemo } from 'react';
import type { AppRootProps } from '@grafana/data';
import { APP_PAGES, type AppSettings } from '@modelwatch/conventions';
import { Navigate, Route, Routes } from 'react-router-dom';
import { grafanaTransport, type Transport } from '../data/transport';
import { AiModels } from '../pages/AiModels';
import { Alerts } from '../pages/Alerts';
import { Cache } from '../pages/Cache';
import { Overview } from '../pages/Overview';
import { resolveSettings } from '../settings';
import { AppEnvironmentProvider } from './AppContext';

export type AppProps = AppRootProps<AppSettings> & { transport?: Transport };

export default function App({ meta, transport = grafanaTransport }: AppProps) {
  const env = useMemo(() => ({ settings: resolveSettings(meta.jsonData), transport }), [meta.jsonData, transport]);
  return (
    <AppEnvironmentProvider value={env}>
      <Routes>
        <Route path={APP_PAGES.overview} element={<Overview />} />
        <Route path={APP_PAGES.aiModels} element={<AiModels />} />
        <Route path={APP_PAGES.cache} element={<Cache />} />
        <Route path={APP_PAGES.alerts} element={<Alerts />} />
        <Route path="*" element={<Navigate to={APP_PAGES.overview} replace />} />
      </Routes>
    </AppEnvironmentProvider>
  );
}
