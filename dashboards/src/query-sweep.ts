/**
 * The "No data" sweep the live tests run against any store that answers
 * PromQL (Prometheus, or VictoriaMetrics fed by remote write or by the scale
 * path's vmagent shards and vmalert): what the demo must be made to do so
 * every panel has something to show, which expressions legitimately have no
 * data on a stack minutes old, and the poll that lists the ones that never
 * returned a series.
 */
import { HEALTH_COMPONENT, HEALTH_RECORDING_RULE, METRICS, GEN_AI_OPERATION, readsAnomalyRules } from '@modelwatch/conventions';
import { buildDashboards } from './dashboards';
import { labelValuesQueries, panelExpressions, substituteVariables, type PanelExpression } from './inspect';

/** An expression to sweep, named by where it is issued (a dashboard panel, or a page of the app). */
export type SweptExpression = PanelExpression;

/** What Grafana would put in for the variables with `job` selected and a 5-minute range. */
export function sweepVariables(job: string): Record<string, string> {
  return { job, instance: '.*', model: '.*', __rate_interval: '30s', __range: '5m' };
}

/** The demo's in-house model has no price: its calls feed the "unpriced" panel. */
export const UNPRICED_MODEL = 'northwind-support-1';

/** Returns a series once the traffic mix made an embeddings call and it was stored: wait for it before sweeping. */
export const EMBEDDINGS_RECORDED = `gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="${GEN_AI_OPERATION.embeddings}"}`;

/**
 * A cache's hit-ratio score exists once its last 30 minutes hold enough lookups (and, against an expectation, once it
 * has 30 minutes of them): a stack minutes old has none. promtool checks that series on hours of input
 * (exporter/src/conventions/slo-queries.test.ts, alerting/src/prometheus/health-score.test.ts).
 */
export const needsHistory = (expr: string): boolean => expr.includes(`${HEALTH_RECORDING_RULE.componentLabel}="${HEALTH_COMPONENT.cacheHitRatio}"`);

/**
 * The demo's models answer as themselves and its fault API cannot make a provider substitute one, so the
 * substitution table has no rows here; promtool checks its queries on known series (conventions/src/queries.test.ts).
 */
export const needsSubstitution = (expr: string): boolean => expr.includes(METRICS.genAiModelSubstitutions.name);

/**
 * Expressions no live stack minutes old can fill: history it lacks, substitutions the demo never makes, and the
 * anomaly bands' week of history (promtool checks their rules on days of series, alerting's promtool tests).
 */
export const sweepable = (expr: string): boolean => !needsHistory(expr) && !needsSubstitution(expr) && !readsAnomalyRules(expr);

/** Every dashboard panel expression the sweep checks. */
export function dashboardExpressions(): SweptExpression[] {
  return buildDashboards()
    .flatMap(({ model }) => panelExpressions(model))
    .filter((e) => sweepable(e.expr));
}

export interface SweepDemo {
  url: string;
  adminToken: string;
}

/**
 * Makes the demo feed every panel: errors for the error panels (half of one model's calls fail), a 5xx share for
 * availability, and unpriced calls for their panel. The faults last `durationSeconds`.
 */
export async function feedEveryPanel(demo: SweepDemo, durationSeconds = 300): Promise<void> {
  const inject = async (fault: Record<string, unknown>) => {
    const response = await fetch(`${demo.url}/admin/faults`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ durationSeconds, ...fault }),
    });
    if (response.status !== 201) throw new Error(`POST /admin/faults ${JSON.stringify(fault)} → ${response.status}: ${await response.text()}`);
  };
  await inject({ kind: 'provider_outage', model: 'gpt-4o-mini', probability: 0.5 });
  await inject({ kind: 'http_errors', route: '/chat', probability: 0.1 });
  for (let i = 0; i < 5; i++) {
    const response = await fetch(`${demo.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Which tent fits two people?', model: UNPRICED_MODEL }),
    });
    await response.text();
  }
}

/**
 * Polls until every expression (variables substituted) returns a series or
 * the time is up, and lists the ones that never did, with the query's error
 * if it failed.
 */
export async function expressionsWithoutData(
  expressions: readonly SweptExpression[],
  variables: Readonly<Record<string, string>>,
  query: (expr: string) => Promise<readonly unknown[]>,
  timeoutMs: number,
): Promise<string[]> {
  const pending = new Map(expressions.map((e) => [e, 'no series']));
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const e of [...pending.keys()]) {
      try {
        if ((await query(substituteVariables(e.expr, variables))).length > 0) pending.delete(e);
      } catch (error) {
        pending.set(e, (error as Error).message);
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return [...pending].map(([e, why]) => `${e.dashboard} / ${e.panel} / ${e.refId}: ${why}\n    ${e.expr}`);
}

/**
 * The dashboards' variables whose values (`label_values` with the variable's
 * match, variables substituted) lack the one `expected` names for it.
 */
export async function variablesWithoutValue(
  expected: Readonly<Record<string, string>>,
  variables: Readonly<Record<string, string>>,
  labelValues: (label: string, match: string) => Promise<readonly string[]>,
): Promise<string[]> {
  const missing: string[] = [];
  for (const q of buildDashboards().flatMap(({ model }) => labelValuesQueries(model))) {
    const want = expected[q.variable];
    if (want === undefined) {
      missing.push(`${q.dashboard} $${q.variable}: no value expected of it`);
      continue;
    }
    const values = await labelValues(q.label, substituteVariables(q.match, variables));
    if (!values.includes(want)) missing.push(`${q.dashboard} $${q.variable}: ${want} not in ${JSON.stringify(values)}`);
  }
  return missing;
}
