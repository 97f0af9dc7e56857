import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules } from '@modelwatch/testkit';
import { ALERT } from '@modelwatch/conventions';
import { REPO_ROOT } from '../repo';
import { DEMO_SPEC } from '../generate';
import { alertRules } from '../catalogue/catalogue';
import { loadSpec } from '../slo-spec/load';
import { serviceObjectives } from '../slo-spec/objectives';
import { ALERT_CASES } from './__fixtures__/alert-cases';
import { promtoolTest } from './__fixtures__/alert-tests';
import { COMMITTED_RULE_FILES, promtoolHarness } from './__fixtures__/promtool-harness';
import { isAlertingRule } from './committed-rules';

const ALERT_RULES = alertRules(serviceObjectives(loadSpec(join(REPO_ROOT, DEMO_SPEC))));
const { ruleSubset, runPromtool, cleanUp } = promtoolHarness('modelwatch-alert-tests-');
afterAll(cleanUp);

/** Rules are evaluated at the input's interval: a week of history evaluated every minute would take promtool minutes. */
describe('generated Prometheus rules', () => {
  it('pass promtool check rules', async () => {
    const result = await checkRules(COMMITTED_RULE_FILES);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('have unit tests for every alert, each with a firing and (but the watchdog) a silent scenario', () => {
    for (const name of Object.values(ALERT)) {
      const scenarios = ALERT_CASES[name];
      expect(scenarios.some((s) => s.expect.length > 0), name).toBe(true);
      if (name !== ALERT.watchdog) expect(scenarios.some((s) => s.expect.length === 0), name).toBe(true);
    }
    // Every alert at each of its severities fires in at least one scenario. (The objectives of one kind share
    // their builders; the health-score tests below cover every page and ticket pair against the TypeScript maths.)
    for (const rule of ALERT_RULES) {
      const fired = ALERT_CASES[rule.name].some((s) => s.expect.some((e) => e.severity === rule.severity));
      expect(fired, `${rule.name} ${rule.severity}`).toBe(true);
    }
  });

  it.each(Object.values(ALERT))('%s fires with the right labels and annotations, and stays silent on healthy input', async (name) => {
    const scenarios = ALERT_CASES[name];
    const rules = ruleSubset(`${name}.rules.yml`, (rule) => isAlertingRule(rule) && rule.alert === name);
    const result = await runPromtool(`${name}.test.yml`, scenarios.map((scenario) => promtoolTest(ALERT_RULES, name, scenario)), scenarios[0]?.interval ?? '1m', rules);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });
});

