import { urlUtil } from '@grafana/data';
import { dashboardUrl, exploreUrl, rowLink } from './links';

describe('drill-down links', () => {
  it('opens Explore with the query, data source and range, in the panes shape of Grafana 10+', () => {
    const url = exploreUrl('prom', 'sum(rate(x{job="demo"}[5m]))', { from: 'now-6h', to: 'now' });
    const [path, query] = url.split('?');
    expect(path).toBe('/explore');
    const params = urlUtil.parseKeyValue(query ?? '');
    expect(String(params.schemaVersion)).toBe('1');
    expect(JSON.parse(String(params.panes))).toEqual({
      modelwatch: { datasource: 'prom', queries: [{ refId: 'A', expr: 'sum(rate(x{job="demo"}[5m]))', datasource: { type: 'prometheus', uid: 'prom' } }], range: { from: 'now-6h', to: 'now' } },
    });
  });

  it('opens a dashboard with the range and variables, dropping empty ones', () => {
    expect(dashboardUrl('modelwatch-ai-models', { from: '1700000000000', to: '1700003600000' }, 'demo', { model: 'gpt-4o', provider: '' })).toBe(
      '/d/modelwatch-ai-models?from=1700000000000&to=1700003600000&var-job=demo&var-model=gpt-4o',
    );
  });

  it('turns row values into Grafana data-link variables after encoding the rest of the URL', () => {
    const link = rowLink('p95', (field) => exploreUrl('prom', `q{route="${field('Route')}"}`, { from: 'now-1h', to: 'now' }));
    expect(link.url).toContain('${__data.fields.Route}');
    expect(link.url).not.toContain('mwrowfield');
    // Everything but the variable is already encoded: Grafana encodes only the value it puts in.
    expect(link.url.replace('${__data.fields.Route}', '')).not.toMatch(/[{}" ]/);
  });
});
