/**
 * The guard against "No data": a real Prometheus scrapes the demo under
 * traffic (with a failing model, some HTTP 500s and calls to an unpriced
 * model, so every panel has something to show), and every expression of every
 * panel, variables substituted as Grafana would, must return at least one
 * series — from Prometheus, and from VictoriaMetrics fed by Prometheus'
 * `remote_write` (the scale path). A renamed metric or label fails here.
 */
import { JOBS, startStack, type Stack } from '@modelwatch/stack';
import { startVictoriaMetrics, waitFor, type VectorSample, type VictoriaMetricsInstance } from '@modelwatch/testkit';
import { GEN_AI_OPERATION, HEALTH_COMPONENT, HEALTH_RECORDING_RULE, METRICS, readsAnomalyRules } from '@modelwatch/conventions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from './dashboards';
import { labelValuesQueries, panelExpressions, panelsOf, substituteVariables, type PanelExpression } from './inspect';

/** What Grafana would put in for the variables with the demo selected and a 5-minute range. */
const VARIABLES = {
  job: JOBS.demo,
  instance: '.*',
  model: '.*',
  __rate_interval: '30s',
  __range: '5m',
};

/** The demo's in-house model has no price: its calls feed the "unpriced" panel. */
const UNPRICED_MODEL = 'northwind-support-1';

/**
 * A cache's hit-ratio score exists once its last 30 minutes hold enough lookups (and, against an expectation, once it
 * has 30 minutes of them): a stack minutes old has none. promtool checks that series on hours of input
 * (exporter/src/conventions/slo-queries.test.ts, alerting/src/prometheus/health-score.test.ts).
 */
const needsHistory = (expr: string) => expr.includes(`${HEALTH_RECORDING_RULE.componentLabel}="${HEALTH_COMPONENT.cacheHitRatio}"`);
/**
 * The demo's models answer as themselves and its fault API cannot make a provider substitute one, so the
 * substitution table has no rows here; promtool checks its queries on known series (conventions/src/queries.test.ts).
 */
const needsSubstitution = (expr: string) => expr.includes(METRICS.genAiModelSubstitutions.name);
const expressions: PanelExpression[] = buildDashboards()
  .flatMap(({ model }) => panelExpressions(model))
  // The anomaly bands need a week of history: promtool checks their rules on days of series (alerting's promtool tests).
  .filter((e) => !needsHistory(e.expr) && !needsSubstitution(e.expr) && !readsAnomalyRules(e.expr));

let victoria: VictoriaMetricsInstance;
let stack: Stack;

async function injectFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${stack.demo!.url}/admin/faults`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.demo!.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ durationSeconds: 300, ...fault }),
  });
  expect(response.status, await response.text()).toBe(201);
}

async function askUnpricedModel(): Promise<void> {
  const response = await fetch(`${stack.demo!.url}/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'Which tent fits two people?', model: UNPRICED_MODEL }),
  });
  await response.text();
}

/**
 * Polls until every expression returns a series or the time is up, and lists
 * the ones that never did (with their error, if the query failed).
 */
async function expressionsWithoutData(query: (expr: string) => Promise<VectorSample[]>, timeoutMs: number): Promise<string[]> {
  const pending = new Map(expressions.map((e) => [e, 'no series']));
  const deadline = Date.now() + timeoutMs;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const e of [...pending.keys()]) {
      try {
        if ((await query(substituteVariables(e.expr, VARIABLES))).length > 0) pending.delete(e);
      } catch (error) {
        pending.set(e, (error as Error).message);
      }
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return [...pending].map(([e, why]) => `${e.dashboard} / ${e.panel} / ${e.refId}: ${why}\n    ${e.expr}`);
}

describe('every dashboard query returns data from the demo under traffic', () => {
  beforeAll(async () => {
    victoria = await startVictoriaMetrics();
    stack = await startStack({
      // The fake models at their real latency: what users of Modelwatch see, and what the objectives are written for.
      demo: { timeScale: 1 },
      traffic: { scenario: 'baseline', users: 10, duration: '5m' },
      editPrometheusConfig: (config) => ({
        ...config,
        global: { ...(config.global as object), scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
        remote_write: [{ url: victoria.writeUrl, queue_config: { batch_send_deadline: '1s', min_backoff: '100ms' } }],
      }),
    });
    expect(stack.skipped).toEqual([]);
    await stack.prometheus!.waitForTargetsUp(JOBS.demo, 30_000);
    // Errors for the error panels, a 5xx share for availability, unpriced calls for their panel.
    await injectFault({ kind: 'provider_outage', model: 'gpt-4o-mini', probability: 0.5 });
    await injectFault({ kind: 'http_errors', route: '/chat', probability: 0.1 });
    for (let i = 0; i < 5; i++) await askUnpricedModel();
    // Streaming calls (time to first chunk) and embeddings come from the traffic mix; wait until one of each was recorded.
    await waitFor(async () => (await stack.prometheus!.query(`gen_ai_client_operation_duration_seconds_count{gen_ai_operation_name="${GEN_AI_OPERATION.embeddings}"}`)).length > 0, 60_000, {
      description: 'an embeddings call scraped',
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await victoria?.stop();
  });

  it(`has ${expressions.length} panel expressions to check`, () => {
    expect(expressions.length).toBeGreaterThan(30);
  });

  it('lists the demo, its process and its models in the job, instance and model variables of every dashboard', async () => {
    const queries = buildDashboards().flatMap(({ model }) => labelValuesQueries(model));
    expect(queries.map((q) => q.variable)).toEqual(expect.arrayContaining(['job', 'instance', 'model']));
    // The set-up waits for an embeddings call, made with the demo's embedding model (demo/src/ai/models.ts).
    const expected: Record<string, string> = { job: JOBS.demo, instance: stack.demo!.target, model: 'text-embedding-3-small' };
    for (const q of queries) {
      const values = await stack.prometheus!.api<string[]>(`/api/v1/label/${q.label}/values`, { 'match[]': substituteVariables(q.match, VARIABLES) });
      expect(values, `${q.dashboard} $${q.variable}`).toContain(expected[q.variable]);
    }
  });

  it('Prometheus answers every panel expression with at least one series', async () => {
    expect(await expressionsWithoutData((expr) => stack.prometheus!.query(expr), 90_000)).toEqual([]);
  }, 120_000);

  it('answers the queries of each merged table with the same label sets at one instant, so the merge makes one row of each', async () => {
    const merged = buildDashboards()
      .flatMap(({ model }) => panelsOf(model))
      .filter((panel) => panel.type === 'table' && (panel.targets ?? []).length > 1 && !(panel.targets ?? []).some((target) => needsSubstitution(target.expr ?? '')));
    expect(merged.length).toBeGreaterThan(0);
    for (const panel of merged) {
      // Grafana evaluates a panel's instant queries at one time (the range's end).
      const labelSetsAt = async (time: number) =>
        Promise.all((panel.targets ?? []).map(async (target) => (await stack.prometheus!.query(substituteVariables(target.expr ?? '', VARIABLES), time)).map((sample) => JSON.stringify(Object.entries(sample.metric).sort())).sort()));
      // Rule groups are evaluated one after another, so an objective whose first traffic just arrived can be in one query a moment before the next: poll.
      const deadline = Date.now() + 30_000;
      let labelSets = await labelSetsAt(Date.now() / 1000);
      while (labelSets.some((set) => JSON.stringify(set) !== JSON.stringify(labelSets[0])) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        labelSets = await labelSetsAt(Date.now() / 1000);
      }
      expect(labelSets[0]?.length, panel.title).toBeGreaterThan(0);
      for (const other of labelSets.slice(1)) expect(other, panel.title).toEqual(labelSets[0]);
    }
  }, 60_000);

  it('VictoriaMetrics, fed by remote_write, answers every panel expression with at least one series', async () => {
    expect(await expressionsWithoutData((expr) => victoria.query(expr), 60_000)).toEqual([]);
  }, 90_000);
});
