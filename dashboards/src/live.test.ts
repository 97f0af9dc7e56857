/**
 * The guard against "No data": a real Prometheus scrapes the demo under
 * traffic (with a failing model, some HTTP 500s and calls to an unpriced
 * model, so every panel has something to show), and every expression of every
 * panel, variables substituted as Grafana would, must return at least one
 * series — from Prometheus, and from VictoriaMetrics fed by Prometheus'
 * `remote_write` (the scale path). A renamed metric or label fails here.
 */
import { JOBS, startStack, type Stack } from '@modelwatch/stack';
import { startVictoriaMetrics, waitFor, type VictoriaMetricsInstance } from '@modelwatch/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboards } from './dashboards';
import { labelValuesQueries, panelsOf, substituteVariables } from './inspect';
import { EMBEDDINGS_RECORDED, dashboardExpressions, expressionsWithoutData, feedEveryPanel, needsSubstitution, sweepVariables, variablesWithoutValue } from './query-sweep';

const VARIABLES = sweepVariables(JOBS.demo);
const expressions = dashboardExpressions();

let victoria: VictoriaMetricsInstance;
let stack: Stack;

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
    await feedEveryPanel(stack.demo!);
    // Streaming calls (time to first chunk) and embeddings come from the traffic mix; wait until one of each was recorded.
    await waitFor(async () => (await stack.prometheus!.query(EMBEDDINGS_RECORDED)).length > 0, 60_000, { description: 'an embeddings call scraped' });
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
    const expected = { job: JOBS.demo, instance: stack.demo!.target, model: 'text-embedding-3-small' };
    const labelValues = (label: string, match: string) => stack.prometheus!.api<string[]>(`/api/v1/label/${label}/values`, { 'match[]': match });
    expect(await variablesWithoutValue(expected, VARIABLES, labelValues)).toEqual([]);
  });

  it('Prometheus answers every panel expression with at least one series', async () => {
    expect(await expressionsWithoutData(expressions, VARIABLES, (expr) => stack.prometheus!.query(expr), 90_000)).toEqual([]);
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
    expect(await expressionsWithoutData(expressions, VARIABLES, (expr) => victoria.query(expr), 60_000)).toEqual([]);
  }, 90_000);
});
