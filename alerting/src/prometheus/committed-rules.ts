/**
 * The committed production rules of the demo's spec, and the part of them one
 * promtool run needs: the rules under test and, transitively, the recording
 * rules they read, each exactly as committed and in its own group. promtool
 * evaluates every loaded rule at every step, and the rules no selected rule
 * reads cannot change its result, so leaving them out keeps a run with hours
 * or days of history to seconds instead of minutes.
 */
import { join } from 'node:path';
import { parse } from 'yaml';
import { durationSeconds } from '../duration';
import { DEMO_SPEC, prometheusRuleFiles } from '../generate';
import { PRODUCTION } from '../profile';
import type { AlertingRule, RecordingRule, RuleFile, RuleGroup } from './rule-file';
import { REPO_ROOT } from '../repo';
import { loadSpec } from '../slo-spec/load';

export type Rule = RecordingRule | AlertingRule;

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;

/** Every group of the two committed rule files, recording groups first: the order a detection run evaluates them in. */
export function committedRules(): RuleGroup[] {
  const files = prometheusRuleFiles(loadSpec(join(REPO_ROOT, DEMO_SPEC)), PRODUCTION);
  return [files.recording, files.alerts].flatMap((text) => (parse(text) as RuleFile).groups);
}

/** The rules `select` keeps and every recording rule they read, transitively, in their committed groups and order. */
export function rulesFor(groups: readonly RuleGroup[], select: (rule: Rule) => boolean): RuleGroup[] {
  const all = groups.flatMap((group) => group.rules);
  const needed = new Set<Rule>(all.filter(select));
  if (needed.size === 0) throw new Error('no committed rule matches this selection: was an alert or objective renamed?');
  const pending = [...needed];
  for (let rule = pending.pop(); rule; rule = pending.pop()) {
    for (const dependency of dependencies(rule, all).filter((candidate) => !needed.has(candidate))) {
      needed.add(dependency);
      pending.push(dependency);
    }
  }
  return groups.map((group) => ({ ...group, rules: group.rules.filter((rule) => needed.has(rule)) })).filter((group) => group.rules.length > 0);
}

/** {@link rulesFor} the alert rules `select` keeps. */
export function alertRulesFor(groups: readonly RuleGroup[], select: (rule: AlertingRule) => boolean): RuleGroup[] {
  return rulesFor(groups, (rule) => isAlertingRule(rule) && select(rule));
}

/**
 * How many rule groups a fault goes through before this rule sees it: 1 when
 * it reads scraped series only, one more per group it reads recorded series
 * from. promtool evaluates them all at the same instant; a live Prometheus
 * evaluates each group at its own offset in the interval, so each one can add
 * up to an evaluation interval.
 */
export function groupChain(groups: readonly RuleGroup[], rule: Rule): number {
  const all = groups.flatMap((group) => group.rules);
  const groupOf = (r: Rule) => groups.findIndex((group) => group.rules.includes(r));
  const depth = (r: Rule): number => Math.max(1, ...dependencies(r, all).map((d) => depth(d) + (groupOf(d) === groupOf(r) ? 0 : 1)));
  return depth(rule);
}

const dependencies = (rule: Rule, all: readonly Rule[]): Rule[] => all.filter((candidate) => !isAlertingRule(candidate) && reads(rule.expr, candidate));

/** The longest range (`[3d]`) any of these rules queries: the history a run needs before its fault. */
export function longestRangeSeconds(groups: readonly RuleGroup[]): number {
  const ranges = groups.flatMap((group) => group.rules).flatMap((rule) => [...rule.expr.matchAll(/\[(\d+[smhd])(?::[^\]]*)?\]/g)].map((match) => durationSeconds(match[1]!)));
  return Math.max(0, ...ranges);
}

/** Metric names the rules select, so a run loads only the input series its rules can see. */
export function selectedMetricNames(groups: readonly RuleGroup[]): Set<string> {
  return new Set(groups.flatMap((group) => group.rules).flatMap((rule) => selectors(rule.expr).map((selector) => selector.name)));
}

interface Selector {
  name: string;
  matchers: { label: string; op: string; value: string }[];
}

const SELECTOR = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\})?/g;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g;

/** Vector selectors of an expression (function names, keywords and label names come out too; they match no metric). */
function selectors(expr: string): Selector[] {
  return [...expr.matchAll(SELECTOR)].map((match) => ({
    name: match[1]!,
    matchers: [...(match[3] ?? '').matchAll(MATCHER)].map((m) => ({ label: m[1]!, op: m[2]!, value: m[3]!.replace(/\\(.)/g, '$1') })),
  }));
}

/** Can `expr` read what `rule` records? A matcher on a label the rule does not set is assumed to match (it might, at run time). */
function reads(expr: string, rule: RecordingRule): boolean {
  return selectors(expr).some(
    (selector) =>
      selector.name === rule.record &&
      selector.matchers.every(({ label, op, value }) => {
        const actual = rule.labels?.[label];
        if (actual === undefined) return true;
        const re = new RegExp(`^(?:${value})$`);
        switch (op) {
          case '=':
            return actual === value;
          case '!=':
            return actual !== value;
          case '=~':
            return re.test(actual);
          default:
            return !re.test(actual);
        }
      }),
  );
}
