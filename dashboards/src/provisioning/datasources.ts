/**
 * provisioning/datasources: the Prometheus, Alertmanager and Tempo data
 * sources under the uids the dashboards, alert rules and app plugin use. URLs
 * come from the environment (docker-compose sets them), so the scale profile
 * can point Grafana at VictoriaMetrics without another file.
 */
import { DATASOURCE_UID } from '@modelwatch/conventions';

/** Environment variables the provisioned data sources read. */
export const DATASOURCE_URL_ENV = {
  prometheus: 'MODELWATCH_PROMETHEUS_URL',
  alertmanager: 'MODELWATCH_ALERTMANAGER_URL',
  tempo: 'MODELWATCH_TEMPO_URL',
} as const;

/** Label of the trace id in the exporter's OpenMetrics exemplars (`# {trace_id="…",span_id="…"}`). */
const EXEMPLAR_TRACE_ID_LABEL = 'trace_id';

/** Scrape interval of config/prometheus.yml: Grafana's `$__rate_interval` is at least four of them. */
const SCRAPE_INTERVAL = '5s';

export function datasourcesProvisioning() {
  return {
    apiVersion: 1,
    datasources: [
      {
        name: 'Modelwatch Prometheus',
        uid: DATASOURCE_UID.prometheus,
        type: 'prometheus',
        access: 'proxy',
        url: `\${${DATASOURCE_URL_ENV.prometheus}}`,
        isDefault: true,
        editable: false,
        jsonData: {
          httpMethod: 'POST',
          timeInterval: SCRAPE_INTERVAL,
          // Exemplars on latency panels link to the trace in Tempo (the `tracing` profile).
          exemplarTraceIdDestinations: [{ name: EXEMPLAR_TRACE_ID_LABEL, datasourceUid: DATASOURCE_UID.tempo }],
        },
      },
      {
        name: 'Modelwatch Alertmanager',
        uid: DATASOURCE_UID.alertmanager,
        type: 'alertmanager',
        access: 'proxy',
        url: `\${${DATASOURCE_URL_ENV.alertmanager}}`,
        editable: false,
        jsonData: { implementation: 'prometheus', handleGrafanaManagedAlerts: false },
      },
      {
        name: 'Modelwatch Tempo',
        uid: DATASOURCE_UID.tempo,
        type: 'tempo',
        access: 'proxy',
        url: `\${${DATASOURCE_URL_ENV.tempo}}`,
        editable: false,
        jsonData: {},
      },
    ],
  };
}
