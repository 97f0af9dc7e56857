import { DataProblem } from './errors';
import { PromClient, stepFor } from './promClient';
import type { HttpRequest, Transport } from './transport';

const range = { from: 0, to: 3_600_000 };
const answering = (status: number, data: unknown): Transport & { requests: HttpRequest[] } => {
  const requests: HttpRequest[] = [];
  const transport = async (request: HttpRequest) => {
    requests.push(request);
    return { status, data };
  };
  return Object.assign(transport, { requests });
};

async function problemOf(client: PromClient): Promise<DataProblem> {
  try {
    await client.query({ A: { expr: 'up', instant: true } }, range);
  } catch (error) {
    if (error instanceof DataProblem) return error;
    throw error;
  }
  throw new Error('expected a DataProblem');
}

describe('PromClient', () => {
  it('posts every query of a page to /api/ds/query in one request and returns series by refId', async () => {
    const transport = answering(200, {
      results: {
        up: { status: 200, frames: [{ schema: { refId: 'up', fields: [{ name: 'Time', type: 'time' }, { name: 'up', type: 'number', labels: { job: 'demo' } }] }, data: { values: [[1000], [1]] } }] },
        none: { status: 200, frames: [{ schema: { refId: 'none', meta: { typeVersion: [0, 0] }, fields: [] }, data: { values: [] } }] },
      },
    });
    const result = await new PromClient(transport, 'prom').query({ up: { expr: 'up', instant: true }, none: { expr: 'absent_metric' } }, range);
    expect(result).toEqual({ up: [{ labels: { job: 'demo' }, times: [1000], values: [1] }], none: [] });
    expect(transport.requests).toHaveLength(1);
    expect(transport.requests[0]).toMatchObject({ url: '/api/ds/query', method: 'POST', headers: { 'X-Datasource-Uid': 'prom' } });
  });

  it.each([
    ['no datasource uid configured', undefined, answering(200, {}), 'no-datasource'],
    ['Grafana does not know the datasource (404)', 'prom', answering(404, { message: 'Data source not found' }), 'no-datasource'],
    ['Prometheus cannot be reached (result status 502)', 'prom', answering(400, { results: { A: { status: 502, error: 'Post "http://p:9090/api/v1/query": dial tcp: connect: connection refused', errorSource: 'downstream' } } }), 'unreachable'],
    ['Prometheus rejects the query (bad_data)', 'prom', answering(400, { results: { A: { status: 400, error: 'bad_data: parse error', errorSource: 'downstream', frames: [] } } }), 'query-failed'],
    ['Grafana answers 500 without results', 'prom', answering(500, { message: 'Query data error' }), 'query-failed'],
  ] as const)('reports %s', async (_, uid, transport, kind) => {
    expect((await problemOf(new PromClient(transport, uid))).kind).toBe(kind);
  });

  it('keeps about 200 points per chart and never goes finer than 15 s', () => {
    expect(stepFor({ from: 0, to: 3_600_000 })).toBe(18_000);
    expect(stepFor({ from: 0, to: 300_000 })).toBe(15_000);
  });
});
