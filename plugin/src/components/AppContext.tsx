/**
 * What every page needs from its host: the resolved settings, the route to
 * Grafana's HTTP API, and the selection (time range and service) shared by
 * the pages through the URL.
 */
import React, { createContext, useContext } from 'react';
import type { ResolvedSettings } from '../settings';
import type { Transport } from '../data/transport';

export interface AppEnvironment {
  settings: ResolvedSettings;
  transport: Transport;
}

const AppEnvironmentContext = createContext<AppEnvironment | undefined>(undefined);

export function AppEnvironmentProvider({ value, children }: { value: AppEnvironment; children: React.ReactNode }) {
  return <AppEnvironmentContext.Provider value={value}>{children}</AppEnvironmentContext.Provider>;
}

export function useAppEnvironment(): AppEnvironment {
  const env = useContext(AppEnvironmentContext);
  if (!env) throw new Error('useAppEnvironment must be used inside AppEnvironmentProvider');
  return env;
}
