/** Alert rules: every rule of the catalogue as `query <op> threshold`, grouped as in the spec. */
import { ALERT_GROUPS, type AlertRule } from '../catalogue/alert-rule';
import { annotations } from '../annotations';
import type { TimingProfile } from '../profile';
import type { AlertingRule, RuleGroup } from './rule-file';

export function alertExpr(rule: AlertRule, timing: TimingProfile): string {
  return `${rule.query(timing)} ${rule.op} ${rule.threshold}`;
}

export function alertingRule(rule: AlertRule, timing: TimingProfile): AlertingRule {
  const pendingFor = timing.pendingFor(rule.for);
  return {
    alert: rule.name,
    expr: alertExpr(rule, timing),
    ...(pendingFor === '0s' ? {} : { for: pendingFor }),
    labels: { severity: rule.severity, ...rule.labels },
    annotations: { ...annotations(rule) },
  };
}

export function alertRuleGroups(timing: TimingProfile, rules: readonly AlertRule[]): RuleGroup[] {
  return ALERT_GROUPS.map((group) => ({
    name: `modelwatch-${group}-alerts`,
    rules: rules.filter((rule) => rule.group === group).map((rule) => alertingRule(rule, timing)),
  })).filter((group) => group.rules.length > 0);
}
