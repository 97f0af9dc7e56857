/**
 * What Grafana reads from the generated JSON beyond queries: the tables'
 * transformations and field overrides, and the time series' threshold lines.
 * No Grafana runs here, so each check restates the Grafana behaviour the JSON
 * relies on (cited in panels.ts) and fails when the JSON stops matching it.
 */
import { ATTRIBUTED_BUDGET_RECORDING_RULE, BUDGET_RECORDING_RULE, BURN_RATE_PAIRS, DASHBOARD_UID, HEALTH_BANDS, METRICS, SLO_LABEL, SLO_RECORDING_RULE } from '@modelwatch/conventions';
import { describe, expect, it } from 'vitest';
import { buildDashboards } from './dashboards';
import { panelsOf, type PanelLike } from './inspect';

interface Step {
  value: number | null;
  color: string;
}

interface Override {
  matcher: { id: string; options: string };
  properties: { id: string; value: unknown }[];
}

/** The parts of a panel model Grafana reads that the structure checks do not. */
interface GrafanaPanel extends PanelLike {
  targets?: (NonNullable<PanelLike['targets']>[number] & { format?: string; instant?: boolean })[];
  transformations?: { id: string; options: Record<string, unknown> }[];
  fieldConfig?: { defaults: { thresholds?: { steps: Step[] }; custom?: Record<string, unknown>; mappings?: { type: string; options: Record<string, unknown> }[] }; overrides: Override[] };
  options?: { sortBy?: { displayName: string; desc?: boolean }[] };
}

const built = buildDashboards();
const panels = (uid: string) => panelsOf(built.find((d) => d.uid === uid)!.model) as GrafanaPanel[];
const allPanels = built.flatMap((d) => panelsOf(d.model) as GrafanaPanel[]);
const tables = allPanels.filter((panel) => panel.type === 'table');
const panelTitled = (uid: string, title: string) => {
  const panel = panels(uid).find((p) => p.type !== 'row' && p.title === title);
  if (!panel) throw new Error(`no panel "${title}" in ${uid}`);
  return panel;
};

/** The labels of `max by (…) (…)`, the grouping every table query has. */
function groupingLabels(expr: string): string[] {
  const grouping = /^max by \(([^)]*)\)/.exec(expr);
  if (!grouping) throw new Error(`not grouped: ${expr}`);
  return grouping[1]!.split(',').map((label) => label.trim());
}

/**
 * The fields the Prometheus data source makes of a panel's table-format
 * queries: Time, one per label, and each query's value, `Value #<refId>` when
 * there are several queries and `Value` when there is one (transformDFToTable).
 */
function tableFields(panel: GrafanaPanel): { labels: string[]; values: string[] } {
  const targets = panel.targets ?? [];
  return {
    labels: [...new Set(targets.flatMap((target) => groupingLabels(target.expr ?? '')))],
    values: targets.map((target) => (targets.length > 1 ? `Value #${target.refId}` : 'Value')),
  };
}

function transformation(panel: GrafanaPanel, id: string): Record<string, unknown> {
  const found = panel.transformations?.find((t) => t.id === id);
  if (!found) throw new Error(`${panel.title} has no ${id} transformation`);
  return found.options;
}

/** The column a table shows a field under (organize's renameByName). */
function fieldTitled(panel: GrafanaPanel, title: string): string {
  const renames = transformation(panel, 'organize').renameByName as Record<string, string>;
  const field = Object.keys(renames).find((name) => renames[name] === title);
  if (!field) throw new Error(`${panel.title} has no column "${title}"`);
  return field;
}

function overrideOf(panel: GrafanaPanel, field: string, property: string): unknown {
  return panel.fieldConfig?.overrides.find((o) => o.matcher.id === 'byName' && o.matcher.options === field)?.properties.find((p) => p.id === property)?.value;
}

describe('tables', () => {
  it('exist: components and objectives on Service health; spend by tenant and feature, substitutions and rate-limit headroom on AI models', () => {
    expect(tables.map((t) => t.title)).toEqual(
      expect.arrayContaining(['Components, worst first', 'Objectives, least budget left first', 'Projected month spend by tenant', 'Projected month spend by feature', 'Model substitutions', 'Rate-limit headroom']),
    );
  });

  it.each(tables.map((t) => [t.title, t] as const))('%s: every query is an instant table query, all grouped by the same labels (merge keys rows on them)', (_, table) => {
    const targets = table.targets ?? [];
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect({ format: target.format, instant: target.instant }).toEqual({ format: 'table', instant: true });
    const groupings = targets.map((target) => groupingLabels(target.expr ?? '').join(','));
    expect(new Set(groupings).size).toBe(1);
  });

  it.each(tables.map((t) => [t.title, t] as const))('%s: merge (only with several queries), then convertFieldType, then organize', (_, table) => {
    const ids = (table.transformations ?? []).map((t) => t.id);
    const expected = [...((table.targets ?? []).length > 1 ? ['merge'] : []), ...(ids.includes('convertFieldType') ? ['convertFieldType'] : []), 'organize'];
    expect(ids).toEqual(expected);
  });

  it.each(tables.map((t) => [t.title, t] as const))('%s: organize drops Time and orders and titles exactly the fields the data source makes', (_, table) => {
    const { labels, values } = tableFields(table);
    const organize = transformation(table, 'organize') as { excludeByName: Record<string, boolean>; indexByName: Record<string, number>; renameByName: Record<string, string> };
    expect(organize.excludeByName).toEqual({ Time: true });
    expect(Object.keys(organize.renameByName).sort()).toEqual([...labels, ...values].sort());
    expect(Object.keys(organize.indexByName).sort()).toEqual([...labels, ...values].sort());
    expect(Object.values(organize.indexByName).sort((a, b) => a - b)).toEqual([...labels, ...values].map((_, index) => index));
  });

  it.each(tables.map((t) => [t.title, t] as const))('%s: overrides and number conversions name fields the data source makes; the sort names a column', (_, table) => {
    const { labels, values } = tableFields(table);
    for (const override of table.fieldConfig?.overrides ?? []) {
      expect(override.matcher.id).toBe('byName');
      expect([...labels, ...values]).toContain(override.matcher.options);
    }
    const conversions = table.transformations?.find((t) => t.id === 'convertFieldType')?.options.conversions as { targetField: string; destinationType: string }[] | undefined;
    for (const conversion of conversions ?? []) {
      expect(labels).toContain(conversion.targetField);
      expect(conversion.destinationType).toBe('number');
    }
    const titles = Object.values(transformation(table, 'organize').renameByName as Record<string, string>);
    expect(table.options?.sortBy?.map((sort) => titles.includes(sort.displayName))).toEqual([true]);
  });
});

describe('Objectives table', () => {
  const table = panelTitled(DASHBOARD_UID.serviceHealth, 'Objectives, least budget left first');
  const expressionOf = (title: string) => {
    const field = fieldTitled(table, title);
    return table.targets?.find((target) => field === `Value #${target.refId}`)?.expr ?? '';
  };

  it('has one row per objective and the model or cache it covers', () => {
    expect(tableFields(table).labels).toEqual(expect.arrayContaining(['job', SLO_LABEL.name, 'gen_ai_provider_name', 'gen_ai_request_model', 'cache_name']));
  });

  it('shows the target and threshold labels as numbers, a ratio and seconds', () => {
    for (const [title, label, unit] of [
      ['Target', SLO_LABEL.target, 'percentunit'],
      ['Threshold', SLO_LABEL.threshold, 's'],
    ] as const) {
      expect(fieldTitled(table, title)).toBe(label);
      expect(overrideOf(table, label, 'unit')).toBe(unit);
    }
    const conversions = transformation(table, 'convertFieldType').conversions as { targetField: string }[];
    expect(conversions.map((c) => c.targetField).sort()).toEqual([SLO_LABEL.target, SLO_LABEL.threshold].sort());
  });

  it('reads the SLI, the page pairs’ long-window burn rates and the budget left from the recording rules', () => {
    expect(expressionOf('SLI 1h')).toContain(`1 - ${SLO_RECORDING_RULE.errorRatio}{${SLO_LABEL.window}="1h"`);
    for (const pair of BURN_RATE_PAIRS.filter((p) => p.urgency === 'page')) {
      expect(expressionOf(`Burn rate ${pair.long}`)).toContain(`${SLO_RECORDING_RULE.burnRate}{${SLO_LABEL.window}="${pair.long}"`);
      expect(overrideOf(table, fieldTitled(table, `Burn rate ${pair.long}`), 'thresholds')).toEqual({
        mode: 'absolute',
        steps: [
          { value: null, color: 'green' },
          { value: pair.factor, color: 'red' },
        ],
      });
    }
    expect(expressionOf('Budget left')).toContain(SLO_RECORDING_RULE.budgetRemaining);
  });

  it('colours burn rates and budget by their thresholds, least budget first', () => {
    for (const title of ['Burn rate 1h', 'Burn rate 6h', 'Budget left']) expect(overrideOf(table, fieldTitled(table, title), 'custom.cellOptions')).toEqual({ type: 'color-text' });
    expect(table.options?.sortBy).toEqual([{ displayName: 'Budget left', desc: false }]);
  });
});

describe('components table', () => {
  const table = panelTitled(DASHBOARD_UID.serviceHealth, 'Components, worst first');

  it('names the component and the model or cache, lowest score first, coloured by the health bands', () => {
    expect(tableFields(table).labels).toEqual(expect.arrayContaining(['component', 'gen_ai_request_model', 'cache_name']));
    expect(table.options?.sortBy).toEqual([{ displayName: 'Score', desc: false }]);
    expect((overrideOf(table, 'Value', 'thresholds') as { steps: Step[] }).steps.map((s) => s.value)).toEqual([null, HEALTH_BANDS.degraded, HEALTH_BANDS.healthy]);
  });
});

describe('threshold lines', () => {
  it.each(BURN_RATE_PAIRS.filter((p) => p.urgency === 'page').map((p) => [p.long, p] as const))('the %s page pair’s burn-rate panel draws its factor as a line and keeps it in view', (_, pair) => {
    const panel = panelTitled(DASHBOARD_UID.serviceHealth, `Burn rate over ${pair.long} and ${pair.short}`);
    expect(panel.targets?.[0]?.expr).toContain(`${SLO_LABEL.window}=~"${pair.long}|${pair.short}"`);
    expect(panel.fieldConfig?.defaults.custom?.thresholdsStyle).toEqual({ mode: 'line' });
    expect(panel.fieldConfig?.defaults.thresholds?.steps.map((s) => s.value)).toEqual([null, pair.factor]);
    expect(panel.fieldConfig?.defaults.custom?.axisSoftMax).toBe(pair.factor);
  });

  it('are drawn only where a panel has thresholds to draw', () => {
    const withLines = allPanels.filter((panel) => (panel.fieldConfig?.defaults.custom?.thresholdsStyle as { mode?: string } | undefined)?.mode === 'line');
    expect(withLines.length).toBeGreaterThan(0);
    for (const panel of withLines) expect(panel.fieldConfig?.defaults.thresholds?.steps.length, panel.title).toBeGreaterThan(1);
  });
});

describe('spend', () => {
  it('compares the service’s projected month (whatever the model filter) with its recorded budget, not a dashboard variable', () => {
    const panel = panelTitled(DASHBOARD_UID.aiModels, 'Projected month spend vs budget');
    expect(panel.targets?.map((t) => t.expr)).toEqual(expect.arrayContaining([expect.stringContaining(BUDGET_RECORDING_RULE)]));
    for (const { model } of built) expect((model.templating?.list ?? []).map((v) => v.name).filter((name) => !['datasource', 'job', 'instance', 'model'].includes(name))).toEqual([]);
    expect(panel.targets?.find((t) => !t.expr?.includes(BUDGET_RECORDING_RULE))?.expr).not.toContain('$model');
  });
});

describe('spend by tenant and feature', () => {
  const bar = { type: 'gauge', mode: 'basic', valueDisplayMode: 'text' };

  it.each([
    ['tenant', 'Projected month spend by tenant', ATTRIBUTED_BUDGET_RECORDING_RULE.tenant, 'other tenants'],
    ['feature', 'Projected month spend by feature', ATTRIBUTED_BUDGET_RECORDING_RULE.feature, 'other features'],
  ])('per %s: projected month from the attributed cost against the recorded budget, top spenders first', (label, title, rule, other) => {
    const table = panelTitled(DASHBOARD_UID.aiModels, title);
    expect(tableFields(table).labels).toEqual(['job', label]);
    const expr = (column: string) => table.targets?.find((t) => `Value #${t.refId}` === fieldTitled(table, column))?.expr ?? '';
    expect(expr('Projected month')).toContain(METRICS.genAiAttributedCost.name);
    expect(expr('Projected month')).toContain('[1h]');
    expect(expr('Projected month')).not.toContain('instance');
    expect(expr('Budget')).toContain(rule);
    // Tenants without a budget still get a row in every query (NaN, mapped to words), so the merge keeps whole rows.
    for (const column of ['Budget', 'Budget used']) expect(expr(column)).toMatch(/ \* NaN\)$/);
    expect(table.options?.sortBy).toEqual([{ displayName: 'Projected month', desc: true }]);
    const used = fieldTitled(table, 'Budget used');
    expect(overrideOf(table, used, 'custom.cellOptions')).toEqual(bar);
    expect([overrideOf(table, used, 'min'), overrideOf(table, used, 'max'), overrideOf(table, used, 'unit')]).toEqual([0, 1, 'percentunit']);
    expect((overrideOf(table, used, 'thresholds') as { steps: Step[] }).steps.map((s) => [s.value, s.color])).toEqual([
      [null, 'green'],
      [0.8, 'orange'],
      [1, 'red'],
    ]);
    const mappings = table.fieldConfig?.defaults.mappings ?? [];
    expect(mappings.find((m) => m.type === 'value')?.options).toEqual({ _other: { text: other, index: 0 }, _none: { text: 'unattributed', index: 1 } });
    expect(mappings.find((m) => m.type === 'special')?.options).toMatchObject({ match: 'nan', result: { text: 'no budget' } });
  });
});

describe('providers', () => {
  it('tables requested → answering models over the range with their share of the requested model’s calls, most first', () => {
    const table = panelTitled(DASHBOARD_UID.aiModels, 'Model substitutions');
    expect(tableFields(table).labels).toEqual(['job', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_response_model']);
    for (const target of table.targets ?? []) expect(target.expr).toContain(`${METRICS.genAiModelSubstitutions.name}{job=~"$job",instance=~"$instance",gen_ai_request_model=~"$model"}[$__range]`);
    expect(table.options?.sortBy).toEqual([{ displayName: 'Calls', desc: true }]);
    expect(overrideOf(table, fieldTitled(table, 'Share of its calls'), 'unit')).toBe('percentunit');
  });

  it('draws the remaining share of each rate limit as a bar, red when little is left, least first, with the seconds to its reset', () => {
    const table = panelTitled(DASHBOARD_UID.aiModels, 'Rate-limit headroom');
    expect(tableFields(table).labels).toEqual(['job', 'gen_ai_provider_name', 'gen_ai_request_model', 'limit_type']);
    const remaining = fieldTitled(table, 'Remaining');
    expect(overrideOf(table, remaining, 'custom.cellOptions')).toEqual({ type: 'gauge', mode: 'basic', valueDisplayMode: 'text' });
    expect((overrideOf(table, remaining, 'thresholds') as { steps: Step[] }).steps.map((s) => [s.value, s.color])).toEqual([
      [null, 'red'],
      [0.1, 'orange'],
      [0.25, 'green'],
    ]);
    expect(table.targets?.find((t) => `Value #${t.refId}` === remaining)?.expr).toContain(`${METRICS.genAiRateLimitRemaining.name}{job=~"$job",instance=~"$instance"} / (${METRICS.genAiRateLimitLimit.name}`);
    expect(overrideOf(table, fieldTitled(table, 'Resets in'), 'unit')).toBe('s');
    expect(table.options?.sortBy).toEqual([{ displayName: 'Remaining', desc: false }]);
  });
});
