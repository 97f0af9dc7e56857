import { defaultDashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { ANOMALY_RECORDING_RULES, ATTRIBUTED_BUDGET_RECORDING_RULE, BUDGET_RECORDING_RULE, DASHBOARD_UID, HEALTH_RECORDING_RULE, METRICS, PROMETHEUS_ALERTS, RUNTIME_METRIC, SLO_RECORDING_RULE } from '@modelwatch/conventions';
import { describe, expect, it } from 'vitest';
import { buildDashboards } from './dashboards';
import { panelExpressions, panelsOf } from './inspect';
import { DATASOURCE_REF } from './variables';

const built = buildDashboards();

/** Every metric a panel may read: the contract's, its histogram series, the recording rules, Prometheus' ALERTS. */
const knownMetrics = new Set<string>([
  ...Object.values(METRICS).flatMap((m) => (m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_count`, `${m.name}_sum`] : [m.name])),
  ...Object.values(RUNTIME_METRIC).flatMap((name) => [name, `${name}_sum`, `${name}_count`, `${name}_bucket`]),
  HEALTH_RECORDING_RULE.score,
  HEALTH_RECORDING_RULE.componentScore,
  ...Object.values(SLO_RECORDING_RULE),
  BUDGET_RECORDING_RULE,
  ...Object.values(ATTRIBUTED_BUDGET_RECORDING_RULE),
  ...ANOMALY_RECORDING_RULES,
  PROMETHEUS_ALERTS.metric,
]);

/** Names that are selected: an identifier directly followed by `{` (every panel selector carries matchers). */
function selectedMetrics(expr: string): string[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((match) => match[1] ?? '');
}

describe('generated dashboards', () => {
  it('are the four dashboards of the conventions, each uid once', () => {
    expect(built.map((d) => d.uid).sort()).toEqual(Object.values(DASHBOARD_UID).sort());
    expect(built.map((d) => d.model.uid)).toEqual(built.map((d) => d.uid));
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s uses the current schema version', (_, model) => {
    expect(model.schemaVersion).toBe(defaultDashboard().schemaVersion);
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s has unique panel ids', (_, model) => {
    const ids = panelsOf(model).map((panel) => panel.id);
    expect(ids.every((id) => typeof id === 'number')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s has a query on every panel but rows', (_, model) => {
    const withoutQuery = panelsOf(model).filter((panel) => panel.type !== 'row' && !(panel.targets ?? []).some((target) => (target.expr ?? '').trim() !== ''));
    expect(withoutQuery.map((panel) => panel.title)).toEqual([]);
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s refers to data sources only through the variable', (_, model) => {
    const refs = [
      ...panelsOf(model).flatMap((panel) => [panel.datasource, ...(panel.targets ?? []).map((target) => target.datasource)]),
      ...(model.templating?.list ?? []).filter((variable) => variable.type === 'query').map((variable) => variable.datasource),
    ].filter((ref) => ref !== undefined);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => ref?.uid !== DATASOURCE_REF.uid)).toEqual([]);
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s has a data source, job and instance variable', (_, model) => {
    expect((model.templating?.list ?? []).map((variable) => variable.name).slice(0, 3)).toEqual(['datasource', 'job', 'instance']);
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s links to the other dashboards and to the app', (uid, model) => {
    const urls = (model.links ?? []).map((link) => link.url);
    for (const other of Object.values(DASHBOARD_UID).filter((u) => u !== uid)) expect(urls).toContain(`/d/${other}`);
    expect(urls.filter((url) => url?.startsWith('/a/modelwatch-health-app/'))).toHaveLength(4);
  });

  it.each(built.map((d) => [d.uid, d.model] as const))('%s reads only metrics of the contract', (_, model) => {
    const unknown = panelExpressions(model).flatMap((e) => selectedMetrics(e.expr)).filter((name) => !knownMetrics.has(name));
    expect(unknown).toEqual([]);
  });

  it('has unique panel titles within each dashboard (they name the panels in the live test)', () => {
    for (const { model } of built) {
      const titles = panelsOf(model).filter((p) => p.type !== 'row').map((p) => p.title);
      expect(new Set(titles).size, model.uid).toBe(titles.length);
    }
  });
});
