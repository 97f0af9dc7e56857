/**
 * Running promtool unit tests on the committed rules of the demo's spec, cut
 * down to the rules a test needs and those they read (`rulesFor`), evaluated
 * in their committed group order.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testRules } from '@modelwatch/testkit';
import { stringify } from 'yaml';
import { OUTPUT } from '../../generate';
import { REPO_ROOT } from '../../repo';
import { committedRules, rulesFor, type Rule } from '../committed-rules';
import type { RuleGroup } from '../rule-file';

export const COMMITTED_RULE_FILES = [join(REPO_ROOT, OUTPUT.recordingRules), join(REPO_ROOT, OUTPUT.alertRules)];

/** A rule file written for one test, and the order its groups are evaluated in. */
export interface RuleSubset {
  readonly path: string;
  readonly groups: readonly RuleGroup[];
}

/** `rules`: the groups tests cut down (the committed ones unless a test generates others, e.g. for another semconv mode). */
export function promtoolHarness(prefix: string, rules: readonly RuleGroup[] = committedRules()) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const committed = rules;

  /** The committed rules `select` keeps and what they read, written to `file`. */
  function ruleSubset(file: string, select: (rule: Rule) => boolean): RuleSubset {
    const groups = rulesFor(committed, select);
    const path = join(dir, file);
    writeFileSync(path, stringify({ groups }));
    return { path, groups };
  }

  async function runPromtool(file: string, tests: unknown[], evaluationInterval: string, rules: RuleSubset) {
    const path = join(dir, file);
    // The committed order: promtool otherwise evaluates the groups in an order that changes from run to run.
    writeFileSync(path, JSON.stringify({ rule_files: [rules.path], evaluation_interval: evaluationInterval, group_eval_order: rules.groups.map((group) => group.name), tests }));
    return testRules([path]);
  }

  return { ruleSubset, runPromtool, cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}
