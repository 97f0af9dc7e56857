import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_RECORDING_RULE } from '@modelwatch/conventions';
import { EMBEDDINGS_RECORDED, expressionsWithoutData, feedEveryPanel, sweepVariables, variablesWithoutValue } from '@modelwatch/dashboards';
import { JOBS, startStack, VICTORIA_METRICS_JOB } from '@modelwatch/stack';
import { checkVmalertRules, VmalertRuleError, waitFor } from '@modelwatch/testkit';
import { REPO_ROOT } from '../repo';
import { OUTPUT } from '../generate';
import { startAlertingStack, type AlertingStack } from './alerting-stack';
import { appExpressions, sweptExpressions } from './scale-sweep';

// The scale path: two vmagent shards scrape, VictoriaMetrics stores, vmalert
// evaluates the generated rules (fast profile) and sends to Alertmanager. The
// rules' series must be there, and every query of the dashboards and the app
// must return data from it. Its pages are scale-faults.live.test.ts'.
const WAIT_MS = 120_000;
const SHARDS = 2;
const VARIABLES = sweepVariables(JOBS.demo);
let live: AlertingStack;

beforeAll(async () => {
  live = await startAlertingStack({ scale: { shards: SHARDS } });
  // Errors for the error panels, a 5xx share for availability, unpriced calls for their panel (as the dashboards' sweep).
  await feedEveryPanel(live.stack.demo!);
}, 120_000);
afterAll(async () => {
  await live?.stop();
});

const vm = () => live.stack.scale!.victoriaMetrics;

describe('scale path: vmagent shards → VictoriaMetrics → vmalert → Alertmanager', () => {
  it('vmalert accepts every committed rule file as it is', async () => {
    await checkVmalertRules([join(REPO_ROOT, OUTPUT.recordingRules), join(REPO_ROOT, OUTPUT.alertRules)]);
  });

  it('the shards scrape every target once between them', async () => {
    const all = await waitFor(async () => {
      const perShard = await Promise.all(live.stack.scale!.vmagents.map((agent) => agent.targets()));
      const flat = perShard.flat();
      return flat.length > 0 && flat.every((t) => t.health === 'up') ? flat : undefined;
    }, 30_000, { description: 'every shard target up' });
    const urls = all.map((t) => t.scrapeUrl);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls).toHaveLength(3);
    await waitFor(async () => (await vm().query(`up{job="${JOBS.demo}"} == 1`)).length === 1, 30_000, { description: 'the demo scraped into VictoriaMetrics' });
  });

  it("records the rules' series (the health score) in VictoriaMetrics, and reports what it took in", async () => {
    await waitFor(async () => (await vm().query(`${HEALTH_RECORDING_RULE.score}{job="${JOBS.demo}"}`)).length > 0, 60_000, { description: 'the health score recorded by vmalert' });
    const ingest = await waitFor(async () => Number((await vm().query(`sum(rate(vm_rows_inserted_total{job="${VICTORIA_METRICS_JOB}"}[30s]))`))[0]?.value[1] ?? 0) || undefined, 60_000, {
      description: 'the ingest rate',
    });
    const series = Number((await vm().query(`count({__name__!=""})`))[0]?.value[1]);
    const perScrape = Number((await vm().query(`sum(scrape_samples_scraped{job="${JOBS.demo}"})`))[0]?.value[1]);
    const groups = await live.stack.scale!.vmalert.rules();
    console.log(`scale path: VictoriaMetrics ingests ${ingest.toFixed(0)} samples/s, holds ${series} series; the demo's scrape has ${perScrape} samples; vmalert runs ${groups.length} groups, ${groups.reduce((n, g) => n + g.rules.length, 0)} rules`);
    expect(series).toBeGreaterThan(0);
    expect(perScrape).toBeGreaterThan(0);
    // MetricsQL runs every rule as written: none failed its last evaluation (a function or modifier it lacks would).
    const failing = groups.flatMap((g) => g.rules.filter((r) => r.health === 'err' || (r.lastError ?? '') !== '').map((r) => `${g.name} / ${r.name}: ${r.lastError}`));
    expect(failing).toEqual([]);
  }, WAIT_MS);

  it(`answers each of the ${sweptExpressions(JOBS.demo).length} queries of the dashboards and the app (${appExpressions(JOBS.demo).length} of the app's) with data, the recorded series written by vmalert`, async () => {
    await waitFor(async () => (await vm().query(EMBEDDINGS_RECORDED)).length > 0, 60_000, { description: 'an embeddings call scraped by a shard' });
    expect(await expressionsWithoutData(sweptExpressions(JOBS.demo), VARIABLES, (expr) => vm().query(expr), 90_000)).toEqual([]);
  }, 180_000);

  it("lists the demo, its process and its models in every dashboard's job, instance and model variables", async () => {
    const labelValues = async (label: string, match: string) => {
      const response = await fetch(`${vm().url}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ 'match[]': match })}`);
      if (!response.ok) throw new Error(`label values of ${label} (${match}) → ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { data: string[] }).data;
    };
    const expected = { job: JOBS.demo, instance: live.stack.demo!.target, model: 'text-embedding-3-small' };
    expect(await variablesWithoutValue(expected, VARIABLES, labelValues)).toEqual([]);
  });

  it('refuses a shard count of 0 and a rule file vmalert rejects, before anything runs', async () => {
    await expect(startStack({ demo: false, traffic: false, scale: { shards: 0 }, onSkip: () => undefined })).rejects.toThrow(/shard count must be a whole number of at least 1, got 0/);
    const dir = mkdtempSync(join(tmpdir(), 'modelwatch-bad-rules-'));
    try {
      const bad = join(dir, 'bad.yml');
      writeFileSync(bad, 'groups:\n  - name: bad\n    rules:\n      - alert: Broken\n        expr: rate(http_server_request_duration_seconds_count[5m]\n');
      const started = startStack({ demo: false, traffic: false, scale: {}, editPrometheusConfig: (config) => ({ ...config, rule_files: [bad] }), onSkip: () => undefined });
      await expect(started).rejects.toThrow(VmalertRuleError);
      await expect(started).rejects.toThrow(/Broken/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
