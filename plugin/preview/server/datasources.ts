/**
 * The harness's data sources, as Grafana's `GET /api/datasources` lists them
 * (grafana/grafana pkg/api/datasources.go `GetDataSources`, items of
 * pkg/api/dtos/datasource.go `DataSourceListItemDTO`, sorted by name without
 * case) and `GET /api/datasources/uid/:uid` answers one: the provisioned
 * Prometheus, Alertmanager and — when the harness has one — Tempo of
 * provisioning/datasources/modelwatch.yaml (same names, uids, types and
 * jsonData; the URLs are the harness's upstreams).
 */
import { DATASOURCE_UID } from '@modelwatch/conventions';

export const DATASOURCES_PATH = '/api/datasources';

export interface DataSourceListItem {
  id: number;
  uid: string;
  orgId: number;
  name: string;
  type: string;
  typeName: string;
  typeLogoUrl: string;
  access: 'proxy';
  url: string;
  user: string;
  database: string;
  basicAuth: boolean;
  isDefault: boolean;
  jsonData: Record<string, unknown>;
  readOnly: boolean;
}

export interface HarnessUpstreams {
  prometheusUrl: string;
  alertmanagerUrl?: string;
  tempoUrl?: string;
}

/** Grafana's core data source plugins' names and logos (public/app/plugins/datasource/<type>/plugin.json). */
const TYPES = {
  prometheus: { typeName: 'Prometheus', typeLogoUrl: 'public/app/plugins/datasource/prometheus/img/prometheus_logo.svg' },
  alertmanager: { typeName: 'Alertmanager', typeLogoUrl: 'public/app/plugins/datasource/alertmanager/img/logo.svg' },
  tempo: { typeName: 'Tempo', typeLogoUrl: 'public/app/plugins/datasource/tempo/img/tempo_logo.svg' },
} as const;

export function harnessDatasources({ prometheusUrl, alertmanagerUrl, tempoUrl }: HarnessUpstreams): DataSourceListItem[] {
  const item = (id: number, type: keyof typeof TYPES, uid: string, name: string, url: string, isDefault: boolean, jsonData: Record<string, unknown>): DataSourceListItem => ({
    id,
    uid,
    orgId: 1,
    name,
    type,
    ...TYPES[type],
    access: 'proxy',
    url,
    user: '',
    database: '',
    basicAuth: false,
    isDefault,
    jsonData,
    // Provisioned with `editable: false`.
    readOnly: true,
  });
  const list = [
    item(1, 'prometheus', DATASOURCE_UID.prometheus, 'Modelwatch Prometheus', prometheusUrl, true, {
      httpMethod: 'POST',
      timeInterval: '5s',
      exemplarTraceIdDestinations: [{ name: 'trace_id', datasourceUid: DATASOURCE_UID.tempo }],
    }),
    ...(alertmanagerUrl ? [item(2, 'alertmanager', DATASOURCE_UID.alertmanager, 'Modelwatch Alertmanager', alertmanagerUrl, false, { implementation: 'prometheus', handleGrafanaManagedAlerts: false })] : []),
    ...(tempoUrl ? [item(3, 'tempo', DATASOURCE_UID.tempo, 'Modelwatch Tempo', tempoUrl, false, {})] : []),
  ];
  return list.sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
}
