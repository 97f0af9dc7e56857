/**
 * The harness's data source service (`setDataSourceSrv`), what Grafana's
 * DatasourceSrv (grafana/grafana public/app/features/plugins/datasource_srv.ts)
 * gives a plugin: the data sources of `GET /api/datasources` (answered by the
 * harness server), `getList(filters)` with Grafana's filtering and order,
 * `getInstanceSettings` by uid, name or reference (none: the default), and
 * `get` resolving to @grafana/runtime's own `DataSourceWithBackend` (its
 * queries go to `/api/ds/query` through the backend service). Enough for
 * `DataSourcePicker` from @grafana/runtime on the config page.
 *
 * Mind Grafana's rule that `getList` leaves out data sources whose plugin
 * declares none of metrics, annotations, tracing, logs or alerting unless
 * `all: true` is asked: the Alertmanager plugin declares none, so
 * `getList({ type: 'alertmanager' })` is empty in Grafana, and here.
 */
import { PluginType, type DataSourceApi, type DataSourceInstanceSettings, type DataSourcePluginMeta, type DataSourceRef } from '@grafana/data';
import { DataSourceWithBackend, config, type DataSourceSrv, type GetDataSourceListFilters, type RuntimeDataSourceRegistration } from '@grafana/runtime';

/** One item of Grafana's `GET /api/datasources` (pkg/api/dtos/datasource.go `DataSourceListItemDTO`). */
export interface DataSourceListItem {
  id: number;
  uid: string;
  name: string;
  type: string;
  typeName?: string;
  typeLogoUrl?: string;
  access: 'proxy' | 'direct';
  url?: string;
  user?: string;
  database?: string;
  basicAuth?: boolean;
  isDefault: boolean;
  jsonData?: Record<string, unknown>;
  readOnly: boolean;
}

type PluginFlags = Pick<DataSourcePluginMeta, 'metrics' | 'alerting' | 'annotations' | 'tracing' | 'logs' | 'category' | 'backend'>;

/** The flags of Grafana's core plugin.json files (public/app/plugins/datasource/<type>/plugin.json). */
const PLUGIN_FLAGS: Record<string, PluginFlags> = {
  prometheus: { metrics: true, alerting: true, annotations: true, category: 'tsdb', backend: true },
  alertmanager: { metrics: false },
  tempo: { metrics: true, alerting: false, annotations: false, logs: false, tracing: true, category: 'tracing', backend: true },
};

/** A small logo per type: Grafana serves its plugins' logos under /public/app/plugins, which the harness does not. */
function logo(type: string): string {
  const colour = { prometheus: '#e6522c', alertmanager: '#e6522c', tempo: '#f2cc0c' }[type] ?? '#8e8e8e';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="${colour}"/><text x="8" y="11.5" font-size="9" font-family="sans-serif" text-anchor="middle" fill="#fff">${type.charAt(0).toUpperCase()}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

export function toInstanceSettings(item: DataSourceListItem): DataSourceInstanceSettings {
  const image = logo(item.type);
  const meta: DataSourcePluginMeta = {
    id: item.type,
    name: item.typeName ?? item.type,
    type: PluginType.datasource,
    module: `core:plugin/${item.type}`,
    baseUrl: `public/app/plugins/datasource/${item.type}`,
    info: { author: { name: 'Grafana Labs' }, description: '', links: [], logos: { small: image, large: image }, screenshots: [], updated: '', version: '' },
    ...PLUGIN_FLAGS[item.type],
  };
  return {
    id: item.id,
    uid: item.uid,
    type: item.type,
    name: item.name,
    meta,
    url: item.url,
    jsonData: item.jsonData ?? {},
    isDefault: item.isDefault,
    access: item.access,
    readOnly: item.readOnly,
    database: item.database,
    rawRef: { type: item.type, uid: item.uid },
  };
}

export class HarnessDataSourceSrv implements DataSourceSrv {
  private settings: DataSourceInstanceSettings[] = [];
  private readonly instances = new Map<string, DataSourceApi>();
  private readonly runtime = new Map<string, RuntimeDataSourceRegistration['dataSource']>();

  constructor(private readonly load: () => Promise<DataSourceListItem[]>) {}

  /** Loads the list (Grafana has it in its boot data before any plugin code runs). */
  async reload(): Promise<void> {
    this.settings = (await this.load()).map(toInstanceSettings);
    this.instances.clear();
    config.datasources = Object.fromEntries(this.settings.map((ds) => [ds.name, ds]));
    config.defaultDatasource = this.settings.find((ds) => ds.isDefault)?.name ?? '';
  }

  getList(filters: GetDataSourceListFilters = {}): DataSourceInstanceSettings[] {
    const matches = (x: DataSourceInstanceSettings) => {
      if (filters.metrics && !x.meta.metrics) return false;
      if (filters.tracing && !x.meta.tracing) return false;
      if (filters.logs && x.meta.category !== 'logging' && !x.meta.logs) return false;
      if (filters.annotations && !x.meta.annotations) return false;
      if (filters.alerting && !x.meta.alerting) return false;
      if (filters.pluginId && x.meta.id !== filters.pluginId) return false;
      if (filters.filter && !filters.filter(x)) return false;
      if (filters.type && (Array.isArray(filters.type) ? !filters.type.includes(x.type) : filters.type !== x.type)) return false;
      if (!filters.all && x.meta.metrics !== true && x.meta.annotations !== true && x.meta.tracing !== true && x.meta.logs !== true && x.meta.alerting !== true) return false;
      return true;
    };
    return this.settings.filter(matches).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  getInstanceSettings(ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    if (key === undefined || key === null || key === 'default') {
      if (ref && typeof ref === 'object' && ref.type) return this.settings.find((ds) => ds.type === ref.type && ds.isDefault) ?? this.settings.find((ds) => ds.type === ref.type);
      return this.settings.find((ds) => ds.isDefault);
    }
    return this.settings.find((ds) => ds.uid === key) ?? this.settings.find((ds) => ds.name === key);
  }

  async get(ref?: DataSourceRef | string | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) {
      const key = typeof ref === 'string' ? ref : ref?.uid;
      const runtime = key ? this.runtime.get(key) : undefined;
      if (runtime) return runtime;
      throw { message: `Datasource ${key ?? ''} was not found` };
    }
    let instance = this.instances.get(settings.uid);
    if (!instance) {
      instance = new DataSourceWithBackend(settings);
      this.instances.set(settings.uid, instance);
    }
    return instance;
  }

  registerRuntimeDataSource({ dataSource }: RuntimeDataSourceRegistration): void {
    this.runtime.set(dataSource.uid, dataSource);
  }
}

/** The service over the harness server's `GET /api/datasources`. */
export async function loadHarnessDataSourceSrv(fetchList: () => Promise<DataSourceListItem[]> = async () => (await fetch('/api/datasources')).json() as Promise<DataSourceListItem[]>): Promise<HarnessDataSourceSrv> {
  const srv = new HarnessDataSourceSrv(fetchList);
  await srv.reload();
  return srv;
}
