/**
 * Running promtool unit tests on the committed rules of the demo's spec, cut
 * down to what a test needs: the whole files are hundreds of rules, and
 * promtool evaluates each at every step of hours of input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_COMPONENT, HEALTH_RECORDING_RULE, SLO_LABEL } from '@modelwatch/exporter/conventions';
import { testRules } from '@modelwatch/stack';
import { parse, stringify } from 'yaml';
import { OUTPUT } from '../../generate';
import { REPO_ROOT } from '../../repo';

const NON_OBJECTIVE_COMPONENTS: readonly string[] = Object.values(HEALTH_COMPONENT);

export const COMMITTED_RULE_FILES = [join(REPO_ROOT, OUTPUT.recordingRules), join(REPO_ROOT, OUTPUT.alertRules)];

/** What to keep: alert rules by name, recording rules of these objectives, and (with `health`) the health-score rules of those objectives and the non-objective components. */
export interface RuleSelection {
  alerts?: readonly string[];
  objectives?: readonly string[];
  health?: boolean;
}

interface Group {
  name: string;
  rules: { alert?: string; record?: string; labels?: Record<string, string> }[];
}

export function promtoolHarness(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const objectiveOf = (rule: Group['rules'][number]) => rule.labels?.[SLO_LABEL.name];

  function committedRules(file: string, keep: RuleSelection): string {
    const groups = COMMITTED_RULE_FILES.flatMap((path) => (parse(readFileSync(path, 'utf8')) as { groups: Group[] }).groups);
    const wanted = (objective: string | undefined) => objective !== undefined && (keep.objectives ?? []).includes(objective);
    const kept = groups
      .map((group) => ({
        ...group,
        rules: group.rules.filter((rule) => {
          if (rule.alert) return keep.alerts?.includes(rule.alert) ?? false;
          if (rule.record === HEALTH_RECORDING_RULE.componentScore || rule.record === HEALTH_RECORDING_RULE.score) {
            // An objective's component is named after it; saturation, caches and the score itself are kept whole.
            const component = rule.labels?.[HEALTH_RECORDING_RULE.componentLabel];
            const isObjective = component !== undefined && !NON_OBJECTIVE_COMPONENTS.includes(component);
            return keep.health === true && (!isObjective || wanted(component));
          }
          return wanted(objectiveOf(rule));
        }),
      }))
      .filter((group) => group.rules.length > 0);
    const path = join(dir, file);
    writeFileSync(path, stringify({ groups: kept }));
    return path;
  }

  async function runPromtool(file: string, tests: unknown[], evaluationInterval: string, ruleFiles: readonly string[]) {
    const path = join(dir, file);
    writeFileSync(path, JSON.stringify({ rule_files: ruleFiles, evaluation_interval: evaluationInterval, tests }));
    return testRules([path]);
  }

  return { committedRules, runPromtool, cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}
