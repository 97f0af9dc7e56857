import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules } from '@modelwatch/testkit';
import { ALERT, type AlertName } from '@modelwatch/conventions';
import { annotations } from '../annotations';
import { REPO_ROOT } from '../repo';
import { DEMO_SPEC } from '../generate';
import { VALUE, type AlertRule } from '../catalogue/alert-rule';
import { alertRules } from '../catalogue/catalogue';
import { loadSpec } from '../slo-spec/load';
import { serviceObjectives } from '../slo-spec/objectives';
import { ALERT_CASES, type ExpectedAlert, type Scenario } from './__fixtures__/alert-cases';
import { COMMITTED_RULE_FILES, promtoolHarness } from './__fixtures__/promtool-harness';
import { isAlertingRule } from './committed-rules';

const ALERT_RULES = alertRules(serviceObjectives(loadSpec(join(REPO_ROOT, DEMO_SPEC))));
const { ruleSubset, runPromtool, cleanUp } = promtoolHarness('modelwatch-alert-tests-');
afterAll(cleanUp);

/** Prometheus' humanize functions, for the values our annotations pass them (shares and sub-minute durations). */
const HUMANIZE: Record<string, (value: number) => string> = {
  humanizePercentage: (value) => `${Number((value * 100).toPrecision(4))}%`,
  humanizeDuration: (value) => (value < 1 ? `${Number((value * 1000).toPrecision(4))}ms` : `${Number(value.toPrecision(4))}s`),
};

/** Prometheus' `{{ $labels.x }}` (optionally piped through a humanize function) and the value, as promtool renders them for these labels. */
function rendered(rule: AlertRule, expected: ExpectedAlert): Record<string, string> {
  const fill = (text: string) =>
    text.replace(/\{\{ \$labels\.(\w+)(?: \| (\w+))? \}\}/g, (_, name: string, fn?: string) => {
      const value = expected.labels[name] ?? '';
      return fn ? HUMANIZE[fn]!(Number(value)) : value;
    });
  const raw = annotations(rule, VALUE);
  return Object.fromEntries(Object.entries(raw).map(([key, text]) => [key, fill(text).replace(VALUE, expected.value)]));
}

function ruleFor(name: AlertName, expected: ExpectedAlert): AlertRule {
  const rule = ALERT_RULES.find((r) => r.name === name && r.severity === expected.severity && JSON.stringify(r.labels ?? {}) === JSON.stringify(expected.ruleLabels ?? {}));
  if (!rule) throw new Error(`no rule ${name} ${expected.severity} ${JSON.stringify(expected.ruleLabels)}`);
  return rule;
}

function promtoolTest(name: AlertName, scenario: Scenario) {
  return {
    name: `${name}: ${scenario.title}`,
    interval: scenario.interval ?? '1m',
    input_series: Object.entries(scenario.series).map(([series, values]) => ({ series, values })),
    alert_rule_test: [
      {
        alertname: name,
        eval_time: scenario.evalTime,
        exp_alerts: scenario.expect.map((expected) => ({
          exp_labels: { severity: expected.severity, ...expected.ruleLabels, ...expected.labels },
          exp_annotations: rendered(ruleFor(name, expected), expected),
        })),
      },
    ],
  };
}

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
    const result = await runPromtool(`${name}.test.yml`, scenarios.map((scenario) => promtoolTest(name, scenario)), scenarios[0]?.interval ?? '1m', rules);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });
});

