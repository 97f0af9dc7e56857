/** Alerts: firing and pending alerts from Grafana alerting and the Alertmanager datasource. */
import React from 'react';
import { APP_PAGES } from '@modelwatch/conventions';
import { fetchAlerts, type AlertState } from '../data/alerts';
import { useAppEnvironment } from '../components/AppContext';
import { PageShell, type PageContext } from '../components/PageShell';
import { Panel } from '../components/Panel';
import { useLoaded } from '../components/useLoaded';
import { AlertList, alertsHeight } from './AlertList';

export function Alerts() {
  return (
    <PageShell page={APP_PAGES.alerts} needsJob={false}>
      {(context) => <AlertsBody {...context} />}
    </PageShell>
  );
}

const STATES: AlertState[] = ['firing', 'pending', 'suppressed'];

function AlertsBody({ range, rangeMs }: PageContext) {
  const { transport, settings } = useAppEnvironment();
  const alerts = useLoaded(() => fetchAlerts(transport, settings.alertmanagerUid), [transport, settings.alertmanagerUid, rangeMs.to]);
  return (
    <Panel name="alerts" title="Firing and pending alerts" data={alerts} height={(a) => alertsHeight(a, STATES)} wide>
      {(result, size) => <AlertList result={result} states={STATES} range={range} size={size} />}
    </Panel>
  );
}
