import { buildDsQueryRequest, lastValue, seriesOfFrames, type DataFrameJson } from './dsQuery';

describe('buildDsQueryRequest', () => {
  it('sends Grafana panel-style queries: one datasource, range or instant, epoch-ms strings', () => {
    const body = buildDsQueryRequest('prom', [{ refId: 'A', expr: 'up' }, { refId: 'B', expr: 'sum(up)', instant: true }], { from: 1_000_000, to: 4_600_000 }, 15_000);
    expect(body).toEqual({
      from: '1000000',
      to: '4600000',
      queries: [
        { refId: 'A', datasource: { type: 'prometheus', uid: 'prom' }, expr: 'up', range: true, instant: false, format: 'time_series', exemplar: false, intervalMs: 15_000, maxDataPoints: 240 },
        { refId: 'B', datasource: { type: 'prometheus', uid: 'prom' }, expr: 'sum(up)', range: false, instant: true, format: 'time_series', exemplar: false, intervalMs: 15_000, maxDataPoints: 240 },
      ],
    });
  });
});

describe('seriesOfFrames', () => {
  const frame: DataFrameJson = {
    schema: {
      refId: 'A',
      meta: { type: 'timeseries-multi', typeVersion: [0, 1] },
      fields: [
        { name: 'Time', type: 'time', typeInfo: { frame: 'time.Time' }, config: { interval: 1000 } },
        { name: 'prometheus_http_requests_total', type: 'number', labels: { code: '200', job: 'prometheus' } },
      ],
    },
    data: { values: [[1641889530123, 1641889531123], [21, null]], entities: [null, { NaN: [1] }] },
  };

  it('reads labels from the value field and column-major values', () => {
    expect(seriesOfFrames([frame])).toEqual([{ labels: { code: '200', job: 'prometheus' }, times: [1641889530123, 1641889531123], values: [21, null] }]);
  });

  it('reads the empty no-data frame as no series', () => {
    expect(seriesOfFrames([{ schema: { refId: 'A', meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } }])).toEqual([]);
  });

  it('takes the last finite value, skipping NaN sent as null', () => {
    expect(lastValue({ labels: {}, times: [1, 2, 3], values: [1, 2, null] })).toBe(2);
    expect(lastValue(undefined)).toBeUndefined();
  });
});
