import React from 'react';
import { render, screen } from '@testing-library/react';
import { ThemeContext, createTheme } from '@grafana/data';
import { DataSourcePicker, DataSourceWithBackend, getDataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import { DATASOURCE_UID } from '@modelwatch/conventions';
import { harnessDatasources } from '../server/datasources';
import { loadHarnessDataSourceSrv, type HarnessDataSourceSrv } from './dataSourceSrv';

let srv: HarnessDataSourceSrv;

beforeAll(async () => {
  // What the harness server answers on GET /api/datasources.
  const list = harnessDatasources({ prometheusUrl: 'http://127.0.0.1:9090', alertmanagerUrl: 'http://127.0.0.1:9093', tempoUrl: 'http://127.0.0.1:3200' });
  srv = await loadHarnessDataSourceSrv(async () => list);
  setDataSourceSrv(srv);
});

describe('the harness data source service', () => {
  it("filters by type and plugin flags as Grafana's getList does, sorted by name", () => {
    expect(getDataSourceSrv().getList({ type: 'prometheus' }).map((ds) => ds.uid)).toEqual([DATASOURCE_UID.prometheus]);
    expect(getDataSourceSrv().getList({ tracing: true }).map((ds) => ds.uid)).toEqual([DATASOURCE_UID.tempo]);
    expect(getDataSourceSrv().getList({ metrics: true }).map((ds) => ds.name)).toEqual(['Modelwatch Prometheus', 'Modelwatch Tempo']);
  });

  it('leaves out the Alertmanager unless all data sources are asked for (its plugin declares no metrics, alerting, …)', () => {
    expect(getDataSourceSrv().getList({ type: 'alertmanager' })).toEqual([]);
    expect(getDataSourceSrv().getList({ type: 'alertmanager', all: true }).map((ds) => ds.uid)).toEqual([DATASOURCE_UID.alertmanager]);
  });

  it('finds instance settings by uid, name or reference; none means the default', () => {
    expect(getDataSourceSrv().getInstanceSettings(DATASOURCE_UID.tempo)?.type).toBe('tempo');
    expect(getDataSourceSrv().getInstanceSettings('Modelwatch Alertmanager')?.uid).toBe(DATASOURCE_UID.alertmanager);
    expect(getDataSourceSrv().getInstanceSettings({ uid: DATASOURCE_UID.prometheus })?.jsonData).toMatchObject({ httpMethod: 'POST' });
    expect(getDataSourceSrv().getInstanceSettings()?.uid).toBe(DATASOURCE_UID.prometheus);
    expect(getDataSourceSrv().getInstanceSettings('no-such-uid')).toBeUndefined();
  });

  it("get resolves to the runtime's own DataSourceWithBackend, and rejects an unknown uid", async () => {
    const ds = await getDataSourceSrv().get({ uid: DATASOURCE_UID.prometheus });
    expect(ds).toBeInstanceOf(DataSourceWithBackend);
    expect(ds.getRef()).toEqual({ type: 'prometheus', uid: DATASOURCE_UID.prometheus });
    await expect(getDataSourceSrv().get('no-such-uid')).rejects.toMatchObject({ message: expect.stringContaining('no-such-uid') });
  });

  it("DataSourcePicker from @grafana/runtime shows the current data source's name", () => {
    render(
      <ThemeContext.Provider value={createTheme()}>
        <DataSourcePicker type="prometheus" current={DATASOURCE_UID.prometheus} onChange={() => undefined} />
      </ThemeContext.Provider>,
    );
    expect(screen.getByText('Modelwatch Prometheus')).toBeInTheDocument();
  });
});
