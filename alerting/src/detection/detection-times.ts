/**
 * When each fault class's alert fires under the committed production rules,
 * computed by promtool: one run per class over its synthetic 1-minute series,
 * evaluating the rules every minute as Prometheus does by default.
 *
 * The rule engine writes `ALERTS{alertstate="firing"}` at every evaluation an
 * alert fires (after its `for`), so one query at the end of the run, the
 * earliest timestamp of each such series, gives the first firing minute of
 * every alert at once. The test expects nothing, so promtool fails it and
 * prints what it got; a marker sample proves the answer was read whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { testRules } from '@modelwatch/testkit';
import type { RuleGroup } from '../prometheus/rule-file';
import { alertRulesFor, committedRules, groupChain, isAlertingRule, longestRangeSeconds, selectedMetricNames } from '../prometheus/committed-rules';
import type { FaultClass } from './fault-classes';
import { HEALTHY, inputSeries } from './synthetic-service';

/** Long enough for every class's alert, ticket `for: 15m` included, to fire after its fault. */
export const HORIZON_MINUTES = 90;
/** At least an hour of healthy history, more when a rule's window is longer: a window reaching before the series began would judge the fault on less healthy traffic than a service running for days has, and fire early. */
const MIN_HISTORY_MINUTES = 60;

export interface Firing {
  readonly labels: Readonly<Record<string, string>>;
  /** Evaluation time of the first firing, in minutes from the start of the series. */
  readonly minute: number;
}

export interface Detection {
  readonly fault: FaultClass;
  readonly faultMinute: number;
  /** First firing of every alert series in the run, earliest first. */
  readonly fired: readonly Firing[];
  /** The first alert with the class's `detectedBy` labels firing after the fault. */
  readonly detectedBy?: Firing;
  /** Rule groups between the scraped series and that alert (see groupChain). */
  readonly groupChain?: number;
}

const MARKER = 'detection_marker';

export async function detectionTimes(classes: readonly FaultClass[]): Promise<Detection[]> {
  const committed = committedRules();
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-detection-'));
  try {
    // promtool is single-threaded; the classes are independent.
    return await inParallel(classes, availableParallelism(), (fault, index) => detectOne(committed, fault, join(dir, String(index))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function detectOne(committed: readonly RuleGroup[], fault: FaultClass, pathPrefix: string): Promise<Detection> {
  const groups = alertRulesFor(committed, fault.rules);
  const faultMinute = Math.max(MIN_HISTORY_MINUTES, Math.ceil(longestRangeSeconds(groups) / 60));
  const ruleFile = `${pathPrefix}.rules.yml`;
  const testFile = `${pathPrefix}.test.yml`;
  writeFileSync(ruleFile, stringify({ groups }, { lineWidth: 0 }));
  writeFileSync(testFile, JSON.stringify(promtoolTest(ruleFile, groups, fault, faultMinute)));
  const fired = parseGot((await testRules([testFile])).output)
    .filter((sample) => sample.labels[MARKER] === undefined)
    .map((sample) => ({ labels: withoutAlertState(sample.labels), minute: sample.value / 60 }))
    .sort((a, b) => a.minute - b.minute);
  const detectedBy = fired.find((firing) => firing.minute > faultMinute && Object.entries(fault.detectedBy).every(([label, value]) => firing.labels[label] === value));
  const rule = detectedBy && groups.flatMap((group) => group.rules).find((r) => isAlertingRule(r) && r.alert === detectedBy.labels.alertname && Object.entries(r.labels).every(([label, value]) => detectedBy.labels[label] === value));
  return { fault, faultMinute, fired, detectedBy, groupChain: rule && groupChain(groups, rule) };
}

/** The run's promtool test file: healthy series, the fault, and one query for every alert's first firing. */
function promtoolTest(ruleFile: string, groups: readonly RuleGroup[], fault: FaultClass, faultMinute: number) {
  const endMinute = faultMinute + HORIZON_MINUTES;
  const names = selectedMetricNames(groups);
  return {
    rule_files: [ruleFile],
    evaluation_interval: '1m',
    // Without an order promtool evaluates the groups in Go map order, a different one each run: an alert
    // evaluated before the recording rules it reads sees them a minute late, and the answer varies by a minute.
    group_eval_order: groups.map((group) => group.name),
    tests: [
      {
        interval: '1m',
        input_series: inputSeries(HEALTHY, fault.faulty, faultMinute, endMinute, (name) => names.has(name)),
        promql_expr_test: [
          {
            expr: `min_over_time(timestamp(ALERTS{alertstate="firing"})[${endMinute}m:1m]) or label_replace(vector(0), "${MARKER}", "end", "", "")`,
            eval_time: `${endMinute}m`,
            exp_samples: [],
          },
        ],
      },
    ],
  };
}

function withoutAlertState(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { alertstate: _state, ...rest } = labels;
  return rest;
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of promtool's `got: {a="b", …} 1.2E+03, {…} 0E+00` line; throws with promtool's output when it is missing or lacks the marker. */
export function parseGot(output: string): Sample[] {
  const line = /^\s*got: (.*)$/m.exec(output)?.[1];
  const samples = [...(line ?? '').matchAll(/\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\} (\S+?)(?:, |$)/g)].map((match) => ({
    labels: Object.fromEntries([...match[1]!.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, JSON.parse(`"${m[2]!}"`) as string])),
    value: Number(match[2]),
  }));
  if (!samples.some((sample) => sample.labels[MARKER] !== undefined)) throw new Error(`promtool did not answer the detection query:\n${output}`);
  return samples;
}

async function inParallel<T, R>(items: readonly T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await run(items[index]!, index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
