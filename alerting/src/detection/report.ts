/**
 * Detection times beside the goals: what `npm run detect` prints and what the
 * test asserts.
 */
import { ALERT_SEVERITY } from '@modelwatch/conventions';
import { ALERT_RESEND_DELAY } from '@modelwatch/testkit';
import type { Detection } from './detection-times';
import { HORIZON_MINUTES } from './detection-times';
import { DEAD_MANS_SWITCH_GRACE_SECONDS, prometheusAlertValiditySeconds, productionRoute, type WatchdogAbsence } from './notification-timing';

/** The intervals the synthetic series model: Prometheus' defaults, and one sample per minute. */
const SCRAPE_SECONDS = 60;
const EVALUATION_SECONDS = 60;

export interface Outcome {
  readonly fault: string;
  /** The alert (or mechanism) that notices, or why nothing did. */
  readonly noticedBy: string;
  readonly goal?: { readonly minutes: number; readonly text: string };
  /** From fault start to the alert firing, at aligned scrapes and evaluations. */
  readonly firingSeconds?: number;
  /** Evaluation time of the first firing in the run. */
  readonly evalTime?: string;
  /** Firing plus the production route's group_wait. */
  readonly notifiedSeconds?: number;
  /** Notified at worst on a live Prometheus: the fault's phase within a scrape, and each rule group's own offset in the evaluation interval. */
  readonly liveWorstSeconds?: number;
  /** What went wrong beyond the time: a page where none may come, an alert on healthy traffic. */
  readonly problems: readonly string[];
}

export const goalMet = (outcome: Outcome): boolean | undefined =>
  outcome.goal && outcome.notifiedSeconds !== undefined && outcome.notifiedSeconds <= outcome.goal.minutes * 60 && outcome.problems.length === 0;

const describeAlert = (labels: Readonly<Record<string, string>>): string =>
  [labels.alertname, labels.severity, labels.slo ?? labels.gen_ai_request_model ?? labels.cache_name].filter(Boolean).join(' ');

export function outcomeOf(detection: Detection): Outcome {
  const { fault, faultMinute, detectedBy } = detection;
  const problems = [
    ...detection.fired.filter((f) => f.minute <= faultMinute).map((f) => `fired on healthy traffic: ${describeAlert(f.labels)}`),
    ...(fault.pagesNobody ? detection.fired.filter((f) => f.minute > faultMinute && f.labels.severity === ALERT_SEVERITY.critical).map((f) => `paged: ${describeAlert(f.labels)}`) : []),
  ];
  if (!detectedBy) return { fault: fault.title, noticedBy: `nothing within ${HORIZON_MINUTES} min`, goal: fault.goal, problems };
  const firingSeconds = (detectedBy.minute - faultMinute) * 60;
  const notifiedSeconds = firingSeconds + productionRoute(detectedBy.labels).groupWaitSeconds;
  return {
    fault: fault.title,
    noticedBy: describeAlert(detectedBy.labels),
    goal: fault.goal,
    firingSeconds,
    evalTime: clock(detectedBy.minute * 60),
    notifiedSeconds,
    liveWorstSeconds: notifiedSeconds + SCRAPE_SECONDS + (detection.groupChain ?? 1) * EVALUATION_SECONDS,
    problems,
  };
}

/** Both ways the watchdog's pings can stop; the switch's grace is an assumption. */
export function watchdogOutcomes(absence: WatchdogAbsence): Outcome[] {
  const switchText = `dead-man's switch: pings ≤ ${clock(absence.longestGapSeconds)} apart + ${clock(DEAD_MANS_SWITCH_GRACE_SECONDS)} grace`;
  const goal = { minutes: 5, text: 'noticed within 5 min' };
  const at = (seconds: number) => ({ firingSeconds: seconds, notifiedSeconds: seconds, liveWorstSeconds: seconds });
  return [
    { fault: 'watchdog silent: Alertmanager down', noticedBy: switchText, goal, ...at(absence.alertmanagerDownSeconds), problems: [] },
    { fault: 'watchdog silent: Prometheus down', noticedBy: `${switchText}, after the last alert expires`, goal, ...at(absence.prometheusDownSeconds), problems: [] },
  ];
}

/** 330 → "5m30s", 3720 → "1h2m", as Prometheus writes durations. */
export function clock(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}

export function formatReport(outcomes: readonly Outcome[], absence: WatchdogAbsence): string {
  const header = ['fault', 'noticed by', 'goal', 'firing', 'at eval', 'notified', 'live worst', 'verdict'];
  const verdict = (o: Outcome) => {
    const met = goalMet(o);
    const text = met === undefined ? '' : met ? 'met' : 'MISSED';
    return [text, ...o.problems].filter(Boolean).join('; ');
  };
  const time = (seconds?: number) => (seconds === undefined ? '—' : clock(seconds));
  const rows = outcomes.map((o) => [o.fault, o.noticedBy, o.goal?.text ?? '—', time(o.firingSeconds), o.evalTime ?? '—', time(o.notifiedSeconds), time(o.liveWorstSeconds), verdict(o)]);
  const route = productionRoute({ severity: ALERT_SEVERITY.critical });
  return [
    'Detection under the committed production rules of demo/slos.yaml (promtool test rules, 1-minute series, evaluation every 1m)',
    '',
    ...formatTable(header, rows),
    '',
    `firing: fault start to the first evaluation at which the alert fires (its \`for\` passed). The fault starts right after a scrape,`,
    `  after as much healthy history as the run's longest rule window (at least 1h), so a long window holds no less healthy traffic than a long-running service's.`,
    `notified: plus the production route's group_wait (${clock(route.groupWaitSeconds)}). Goals are judged on it.`,
    `live worst: plus up to one scrape interval (the fault's phase within a scrape) and one evaluation interval per rule group the alert's data passes`,
    `  (each group runs at its own offset in the interval; promtool evaluates them all at once), at 1m scrapes and evaluations.`,
    `watchdog: Alertmanager re-sends the watchdog only at a group_interval flush more than repeat_interval after the last ping, so with`,
    `  repeat_interval ${clock(absence.repeatIntervalSeconds)} and group_interval ${clock(absence.groupIntervalSeconds)} the pings can be ${clock(absence.longestGapSeconds)} apart;`,
    `  the switch is assumed to allow ${clock(DEAD_MANS_SWITCH_GRACE_SECONDS)} beyond that. When Prometheus stops, Alertmanager keeps the last watchdog alert for`,
    `  4 × max(resend delay ${ALERT_RESEND_DELAY}, evaluation interval of config/prometheus.yml) = ${clock(prometheusAlertValiditySeconds())} and pings until it expires.`,
  ].join('\n');
}

/** Columns padded to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}
