import { beforeAll, describe, expect, it } from 'vitest';
import { ALERT, ALERT_SEVERITY, WATCHDOG_SEVERITY } from '@modelwatch/conventions';
import { alertRulesFor, committedRules, longestRangeSeconds } from '../prometheus/committed-rules';
import { detectionTimes, parseGot, type Firing } from './detection-times';
import { FAULT_CLASSES, type FaultClass } from './fault-classes';
import { productionRoute, watchdogAbsence } from './notification-timing';
import { clock, formatReport, goalMet, outcomeOf, watchdogOutcomes, type Outcome } from './report';

// The ticket classes judged on 3-day windows need 3 days of minute-by-minute evaluation, about 20 s of
// promtool each: `npm run detect` prints them. Every class with a goal is cheaper and runs here.
const committed = committedRules();
const TESTED = FAULT_CLASSES.filter((fault) => longestRangeSeconds(alertRulesFor(committed, fault.rules)) <= 6 * 3600);

describe('detection times under the committed production rules', () => {
  const outcomes = new Map<FaultClass, Outcome>();

  beforeAll(async () => {
    for (const detection of await detectionTimes(TESTED)) outcomes.set(detection.fault, outcomeOf(detection));
    const absence = watchdogAbsence();
    console.log(formatReport([...outcomes.values(), ...watchdogOutcomes(absence)], absence));
  }, 120_000);

  it('cover every fault class with a goal', () => {
    expect(FAULT_CLASSES.filter((fault) => fault.goal).every((fault) => TESTED.includes(fault))).toBe(true);
  });

  it.each(FAULT_CLASSES.filter((fault) => fault.goal).map((fault) => [fault.title, fault] as const))('%s: notified within the goal', (_, fault) => {
    const outcome = outcomes.get(fault)!;
    expect(outcome.problems).toEqual([]);
    expect(goalMet(outcome), `${outcome.noticedBy}: notified after ${outcome.notifiedSeconds === undefined ? 'never' : clock(outcome.notifiedSeconds)}, goal ${fault.goal!.text}`).toBe(true);
  });

  it.each(TESTED.filter((fault) => !fault.goal).map((fault) => [fault.title, fault] as const))('%s: detected, and nothing fires on the healthy traffic before it', (_, fault) => {
    const outcome = outcomes.get(fault)!;
    expect(outcome.problems).toEqual([]);
    expect(outcome.firingSeconds, outcome.noticedBy).toBeDefined();
  });

  it("notices the watchdog's silence within 5 minutes when Alertmanager stops, and when Prometheus does", () => {
    const [alertmanagerDown, prometheusDown] = watchdogOutcomes(watchdogAbsence());
    expect(goalMet(alertmanagerDown!)).toBe(true);
    // Alertmanager keeps a dead Prometheus's watchdog alive 4 × max(15 s resend delay, 5 s evaluation): 1 min, not the default 4.
    expect(goalMet(prometheusDown!)).toBe(true);
  });
});

describe('judging a run', () => {
  const masked = FAULT_CLASSES.find((fault) => fault.pagesNobody)!;
  const ticket = { labels: { alertname: ALERT.aiErrorRate, severity: ALERT_SEVERITY.warning, gen_ai_request_model: 'claude-haiku-4-5' }, minute: 367 };

  it('meets the goal with the ticket in time and no page', () => {
    const outcome = outcomeOf({ fault: masked, faultMinute: 360, fired: [ticket], detectedBy: ticket, groupChain: 1 });
    expect(outcome).toMatchObject({ firingSeconds: 420, notifiedSeconds: 450, problems: [] });
    expect(goalMet(outcome)).toBe(true);
  });

  it('fails a class that pages where none may come, or fires on the healthy traffic before the fault', () => {
    const fired: Firing[] = [
      { labels: { alertname: ALERT.targetDown, severity: ALERT_SEVERITY.critical }, minute: 300 },
      { labels: { alertname: ALERT.availabilityBudgetBurn, severity: ALERT_SEVERITY.critical, slo: 'availability' }, minute: 365 },
      ticket,
    ];
    const outcome = outcomeOf({ fault: masked, faultMinute: 360, fired, detectedBy: ticket, groupChain: 1 });
    expect(outcome.problems).toEqual([`fired on healthy traffic: ${ALERT.targetDown} critical`, `paged: ${ALERT.availabilityBudgetBurn} critical availability`]);
    expect(goalMet(outcome)).toBe(false);
  });
});

describe('Alertmanager timing of the production config', () => {
  it('routes pages and tickets with the root group_wait, and the watchdog to the dead-man’s switch', () => {
    expect(productionRoute({ alertname: ALERT.availabilityBudgetBurn, severity: ALERT_SEVERITY.critical })).toMatchObject({ receiver: 'pagerduty-and-slack', groupWaitSeconds: 30 });
    expect(productionRoute({ alertname: ALERT.aiErrorRate, severity: ALERT_SEVERITY.warning })).toMatchObject({ receiver: 'slack-alerts', groupWaitSeconds: 30 });
    expect(productionRoute({ alertname: ALERT.watchdog, severity: WATCHDOG_SEVERITY }).receiver).toBe('watchdog');
  });

  it('spaces watchdog pings by the first group_interval flush beyond repeat_interval', () => {
    const absence = watchdogAbsence();
    expect(absence.longestGapSeconds).toBeGreaterThan(absence.repeatIntervalSeconds);
    expect(absence.longestGapSeconds % absence.groupIntervalSeconds).toBe(0);
    expect(absence.longestGapSeconds - absence.groupIntervalSeconds).toBeLessThanOrEqual(absence.repeatIntervalSeconds);
  });
});

describe("reading promtool's answer", () => {
  it('parses labels with quotes and commas, and values in Go notation', () => {
    const output = '  FAILED:\n    expr: "…", time: 1h,\n        exp: nil\n        got: {a="x, \\"y\\"", b="z"} 2.184E+04, {detection_marker="end"} 0E+00\n';
    expect(parseGot(output)).toEqual([
      { labels: { a: 'x, "y"', b: 'z' }, value: 21840 },
      { labels: { detection_marker: 'end' }, value: 0 },
    ]);
  });

  it('fails with promtool’s output when the answer is missing', () => {
    expect(() => parseGot('Unit Testing:  x.yml\n  FAILED:\n1:1: parse error')).toThrow(/parse error/);
  });
});
