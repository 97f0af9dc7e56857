import { useMemo } from 'react';
import { PromClient } from '../data/promClient';
import { useAppEnvironment } from './AppContext';

/** The page's Prometheus client, on the configured datasource. */
export function usePromClient(): PromClient {
  const { transport, settings } = useAppEnvironment();
  return useMemo(() => new PromClient(transport, settings.prometheusUid), [transport, settings.prometheusUid]);
}
