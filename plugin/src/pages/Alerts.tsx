/** Alerts: firing and pending alerts from Grafana alerting and the Alertmanager datasource. */
import React from 'react';
import { APP_PAGES } from '@modelwatch/exporter/conventions';
import { fetchAlerts } from '../data/alerts';
import { useAppEnvironment } from '../components/AppContext';
import { PageShell, type PageContext } from '../components/PageShell';
import { Panel } from '../components/Panel';
import { usePanelData } from '../components/usePanelData';
import { AlertList } from './AlertList';

export function Alerts() {
  return (
    <PageShell page={APP_PAGES.alerts} needsJob={false}>
      {(context) => <AlertsBody {...context} />}
    </PageShell>
  );
}

function AlertsBody({ rangeMs }: PageContext) {
  const { transport, settings } = useAppEnvironment();
  const alerts = usePanelData(() => fetchAlerts(transport, settings.alertmanagerUid), [transport, settings.alertmanagerUid, rangeMs.to]);
  return (
    <Panel name="alerts" title="Firing and pending alerts" data={alerts} wide>
      {(result) => <AlertList result={result} states={['firing', 'pending', 'suppressed']} />}
    </Panel>
  );
}
