import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkRules } from '@modelwatch/testkit';
import { ALERT, DEFAULT_SLO_SPEC, LATEST_GEN_AI_METRICS, METRICS, SEMCONV_OPT_IN_ENV } from '@modelwatch/conventions';
import { alertRules } from '../catalogue/catalogue';
import { main } from '../cli';
import { DEMO_SPEC, OUTPUT, generatedFiles, prometheusRuleFiles } from '../generate';
import { PRODUCTION } from '../profile';
import { REPO_ROOT } from '../repo';
import { loadSpec } from '../slo-spec/load';
import { serviceObjectives } from '../slo-spec/objectives';
import { ALERT_CASES } from './__fixtures__/alert-cases';
import { promtoolTest } from './__fixtures__/alert-tests';
import { inLatestNames } from './__fixtures__/latest-series';
import { promtoolHarness } from './__fixtures__/promtool-harness';
import { committedRules, isAlertingRule, rulesFor } from './committed-rules';
import type { RuleFile, RuleGroup } from './rule-file';

// The rules generated for exporters in latest mode (GenAI semconv v0.1 names), tested on the alert cases'
// series as such an exporter writes them: the same scenarios must fire the same alerts.
const spec = loadSpec(join(REPO_ROOT, DEMO_SPEC));
const latestFiles = prometheusRuleFiles(spec, PRODUCTION, 'latest');
const LATEST_GROUPS: RuleGroup[] = [latestFiles.recording, latestFiles.alerts].flatMap((text) => (parse(text) as RuleFile).groups);
const LATEST_RULES = alertRules(serviceObjectives(spec), 'latest');
const { ruleSubset, runPromtool, cleanUp } = promtoolHarness('modelwatch-latest-alert-tests-', LATEST_GROUPS);
const dir = mkdtempSync(join(tmpdir(), 'modelwatch-latest-alerts-'));
afterAll(() => {
  cleanUp();
  rmSync(dir, { recursive: true, force: true });
});

/** An alert's rules and the recording rules they read, as text: equal in both modes unless it reads a GenAI name. */
const ruleText = (groups: readonly RuleGroup[], name: string) => JSON.stringify(rulesFor(groups, (rule) => isAlertingRule(rule) && rule.alert === name));
const legacyGroups = committedRules();
const written = new Set(legacyGroups.flatMap((group) => group.rules.filter(isAlertingRule).map((rule) => rule.alert)));
// Every alert has cases (promtool.test.ts checks it); one being written has none yet.
const GEN_AI_READERS = Object.values(ALERT).filter((name) => written.has(name) && name in ALERT_CASES && ruleText(legacyGroups, name) !== ruleText(LATEST_GROUPS, name));

/** A scenario's input series as an exporter in latest mode writes them. */
function inLatestSeries(series: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(series).flatMap(([legacy, values]) => {
      const latest = inLatestNames(legacy);
      return latest === undefined ? [] : [[latest, values]];
    }),
  );
}

/** Names latest mode does not write (the time to first chunk, per-call and per-kind tokens), or writes only part of (the duration: non-inference calls). */
const LEGACY_ONLY = [METRICS.genAiTimeToFirstChunk.name, METRICS.genAiTokenUsage.name, METRICS.genAiTokens.name, METRICS.genAiOperationDuration.name];

describe('rules for the GenAI semconv v0.1 names (latest mode)', () => {
  it('pass promtool check rules', async () => {
    const result = await checkRules([ruleSubset('all.rules.yml', () => true).path]);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('read the legacy duration only together with the inference duration, and no other legacy GenAI name', () => {
    const exprs = LATEST_GROUPS.flatMap((group) => group.rules.map((rule) => rule.expr));
    const both = `__name__=~"${LATEST_GEN_AI_METRICS.inferenceDuration.name}_count|${METRICS.genAiOperationDuration.name}_count"`;
    expect(exprs.some((expr) => expr.includes(both))).toBe(true);
    expect(exprs.some((expr) => expr.includes(`${LATEST_GEN_AI_METRICS.inferenceTimeToFirstChunk.name}_bucket`))).toBe(true);
    expect(exprs.some((expr) => expr.includes(LATEST_GEN_AI_METRICS.usageOutputTokens.name))).toBe(true);
    for (const expr of exprs) {
      const outsideNameMatchers = expr.replace(/__name__=~"[^"]*"/g, '');
      for (const name of LEGACY_ONLY) expect(outsideNameMatchers, expr).not.toContain(name);
    }
  });

  it('change the alerts that read GenAI call, first-chunk or token series, and those only', () => {
    expect(GEN_AI_READERS).toEqual(expect.arrayContaining([ALERT.aiSuccessBudgetBurn, ALERT.aiLatencyBudgetBurn, ALERT.aiErrorRate, ALERT.aiRateLimited, ALERT.aiRateLimitExhaustion, ALERT.aiModelSubstituted]));
    expect(GEN_AI_READERS).not.toContain(ALERT.availabilityBudgetBurn);
  });

  it.each(GEN_AI_READERS)('%s fires as from the legacy names on the same calls written under the v0.1 names', async (name) => {
    const scenarios = ALERT_CASES[name].map((scenario) => ({ ...scenario, series: inLatestSeries(scenario.series) }));
    expect(scenarios.some((scenario) => Object.keys(scenario.series).some((series) => series.startsWith('gen_ai_client_inference_')))).toBe(true);
    const rules = ruleSubset(`${name}.rules.yml`, (rule) => isAlertingRule(rule) && rule.alert === name);
    const result = await runPromtool(`${name}.test.yml`, scenarios.map((scenario) => promtoolTest(LATEST_RULES, name, scenario)), scenarios[0]?.interval ?? '1m', rules);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('come with runbooks whose checks read the same names', () => {
    const runbooks = [...generatedFiles(spec, 'latest')].filter(([path]) => path.startsWith(OUTPUT.runbooks));
    expect(runbooks.length).toBeGreaterThan(10);
    for (const [path, content] of runbooks) {
      const outsideNameMatchers = content.replace(/__name__=~"[^"]*"/g, '');
      for (const name of LEGACY_ONLY) expect(outsideNameMatchers, path).not.toContain(name);
    }
    const errorRate = generatedFiles(spec, 'latest').get(`${OUTPUT.runbooks}/${ALERT.aiErrorRate}.md`);
    expect(errorRate).toContain(`{job="<job>", error_type!="", __name__=~"${LATEST_GEN_AI_METRICS.inferenceDuration.name}_count|${METRICS.genAiOperationDuration.name}_count"}[5m]`);
  });

  it('are the legacy rules in both mode, which reads the names written in every mode', () => {
    expect(generatedFiles(spec, 'both')).toEqual(generatedFiles(spec));
  });
});

describe('npm run alerts -- --semconv', () => {
  const quiet = () => undefined;

  it('writes the rules of a mode under --out, by default the one OTEL_SEMCONV_STABILITY_OPT_IN asks the exporters for', async () => {
    const latest = join(dir, 'latest');
    expect(await main(['--semconv', 'latest', '--out', latest], quiet, quiet)).toBe(0);
    expect(readFileSync(join(latest, OUTPUT.alertRules), 'utf8')).toBe(generatedFiles(DEFAULT_SLO_SPEC, 'latest').get(OUTPUT.alertRules));
    const fromEnv = join(dir, 'env');
    const before = process.env[SEMCONV_OPT_IN_ENV];
    process.env[SEMCONV_OPT_IN_ENV] = 'gen_ai_latest_experimental';
    try {
      expect(await main(['--out', fromEnv], quiet, quiet)).toBe(0);
    } finally {
      if (before === undefined) delete process.env[SEMCONV_OPT_IN_ENV];
      else process.env[SEMCONV_OPT_IN_ENV] = before;
    }
    expect(readFileSync(join(fromEnv, OUTPUT.recordingRules), 'utf8')).toContain(LATEST_GEN_AI_METRICS.inferenceDuration.name);
  });

  it('refuses an unknown mode, and a mode other than legacy for the committed files', async () => {
    const errors: string[] = [];
    expect(await main(['--semconv', 'newest', '--out', join(dir, 'x')], quiet, (line) => errors.push(line))).toBe(2);
    expect(await main(['--semconv', 'latest'], quiet, (line) => errors.push(line))).toBe(2);
    expect(errors).toEqual(['--semconv must be one of legacy, latest, both', "--semconv needs --out <dir>: the repo's own files read the legacy names"]);
  });
});
