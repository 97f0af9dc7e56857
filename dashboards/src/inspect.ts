/**
 * Reading a dashboard model back: its panels (rows flattened) and every
 * PromQL expression with the dashboard's variables replaced as Grafana would —
 * what the structure checks and the live test work on.
 */
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelLike {
  id?: number;
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string };
  targets?: { refId?: string; expr?: string; datasource?: { type?: string; uid?: string } }[];
  panels?: PanelLike[];
}

export interface PanelExpression {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
}

/** Every panel of the dashboard, panels inside (collapsed) rows included, rows themselves included. */
export function panelsOf(model: dashboard.Dashboard): PanelLike[] {
  const flat: PanelLike[] = [];
  const visit = (panels: readonly PanelLike[]) => {
    for (const panel of panels) {
      flat.push(panel);
      if (panel.panels) visit(panel.panels);
    }
  };
  visit((model.panels ?? []) as unknown as PanelLike[]);
  return flat;
}

/** The expressions of every query of every panel. */
export function panelExpressions(model: dashboard.Dashboard): PanelExpression[] {
  return panelsOf(model).flatMap((panel) =>
    (panel.targets ?? []).map((target, index) => ({
      dashboard: model.uid ?? model.title ?? '',
      panel: panel.title ?? `panel ${panel.id}`,
      refId: target.refId ?? String.fromCharCode(65 + index),
      expr: target.expr ?? '',
    })),
  );
}

export interface LabelValuesQuery {
  dashboard: string;
  variable: string;
  /** The series selector whose label values the variable lists. */
  match: string;
  label: string;
}

/** The `label_values(<selector>, <label>)` queries of the dashboard's query variables. */
export function labelValuesQueries(model: dashboard.Dashboard): LabelValuesQuery[] {
  return (model.templating?.list ?? []).flatMap((variable) => {
    const definition = variable.type === 'query' ? (variable.definition ?? '') : '';
    const parsed = /^label_values\((.+), *(\w+)\)$/.exec(definition);
    return parsed ? [{ dashboard: model.uid ?? '', variable: variable.name, match: parsed[1] ?? '', label: parsed[2] ?? '' }] : [];
  });
}

/**
 * Replaces `$name`, `${name}` and `[[name]]` with `values[name]`. A multi-value
 * regex variable set to "All" is `.*` (the variables' `allValue`). Unknown
 * names throw, so a typo in a panel fails the test instead of reaching Prometheus.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]/g, (match, braced?: string, bare?: string, bracketed?: string) => {
    const name = braced ?? bare ?? bracketed ?? '';
    // `$1`, `${1}` in label_replace are PromQL capture groups; Grafana leaves them alone too.
    if (/^\d/.test(name)) return match;
    const value = values[name];
    if (value === undefined) throw new Error(`unknown dashboard variable $${name} in: ${expr}`);
    return value;
  });
}
