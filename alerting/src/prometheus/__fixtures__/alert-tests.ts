/**
 * promtool unit tests of an alert from its scenarios (alert-cases.ts): the
 * alerts expected, with their annotations rendered as Prometheus renders them.
 */
import type { AlertName } from '@modelwatch/conventions';
import { annotations } from '../../annotations';
import { VALUE, type AlertRule } from '../../catalogue/alert-rule';
import type { ExpectedAlert, Scenario } from './alert-cases';

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

function ruleFor(rules: readonly AlertRule[], name: AlertName, expected: ExpectedAlert): AlertRule {
  const rule = rules.find((r) => r.name === name && r.severity === expected.severity && JSON.stringify(r.labels ?? {}) === JSON.stringify(expected.ruleLabels ?? {}));
  if (!rule) throw new Error(`no rule ${name} ${expected.severity} ${JSON.stringify(expected.ruleLabels)}`);
  return rule;
}

/** The promtool test of one scenario of alert `name`, whose rules (for the annotations) are among `rules`. */
export function promtoolTest(rules: readonly AlertRule[], name: AlertName, scenario: Scenario) {
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
          exp_annotations: rendered(ruleFor(rules, name, expected), expected),
        })),
      },
    ],
  };
}
