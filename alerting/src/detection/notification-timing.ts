/**
 * What Alertmanager adds after an alert fires, read from the generated
 * production config: the route an alert takes and its timers, and when a
 * dead-man's switch notices the watchdog's pings stopped.
 */
import { ALERT, WATCHDOG_SEVERITY } from '@modelwatch/conventions';
import { alertmanagerConfig } from '../alertmanager/config';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_RESEND_DELAY } from '@modelwatch/testkit';
import { parse } from 'yaml';
import { durationSeconds } from '../duration';
import { REPO_ROOT } from '../repo';

interface RouteConfig {
  receiver: string;
  matchers?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: RouteConfig[];
}

export interface RouteTiming {
  readonly receiver: string;
  readonly groupWaitSeconds: number;
  readonly groupIntervalSeconds: number;
  readonly repeatIntervalSeconds: number;
}

/**
 * The production route that notifies people of an alert with these labels, with the timers it inherits:
 * the first matching child that stops the search. A `continue` route (the failover webhook) is a side
 * channel the alert also takes; it does not decide who is notified, or when.
 */
export function productionRoute(labels: Readonly<Record<string, string>>): RouteTiming {
  const root = (alertmanagerConfig('production', 'templates/*.tmpl') as { route: RouteConfig }).route;
  const timers = (route: RouteConfig, parent?: RouteTiming): RouteTiming => ({
    receiver: route.receiver,
    groupWaitSeconds: route.group_wait ? durationSeconds(route.group_wait) : parent!.groupWaitSeconds,
    groupIntervalSeconds: route.group_interval ? durationSeconds(route.group_interval) : parent!.groupIntervalSeconds,
    repeatIntervalSeconds: route.repeat_interval ? durationSeconds(route.repeat_interval) : parent!.repeatIntervalSeconds,
  });
  let route = root;
  let timing = timers(root);
  for (let child = match(route, labels); child; child = match(route, labels)) {
    route = child;
    timing = timers(child, timing);
  }
  return timing;
}

function match(route: RouteConfig, labels: Readonly<Record<string, string>>): RouteConfig | undefined {
  return route.routes?.find((child) => child.continue !== true && (child.matchers ?? []).every((matcher) => matches(matcher, labels)));
}

/** One Alertmanager matcher (`=`, `!=`, `=~`, `!~`; regexes anchored, as Alertmanager anchors them) against the labels. */
function matches(matcher: string, labels: Readonly<Record<string, string>>): boolean {
  const parsed = /^(\w+)(=~|!~|!=|=)"(.*)"$/.exec(matcher);
  if (!parsed) throw new Error(`only name op "value" matchers are supported here, not ${matcher}`);
  const [, name, op, value] = parsed as unknown as [string, string, string, string];
  const actual = labels[name] ?? '';
  if (op === '=') return actual === value;
  if (op === '!=') return actual !== value;
  const regex = new RegExp(`^(?:${value})$`);
  return op === '=~' ? regex.test(actual) : !regex.test(actual);
}

/** A dead-man's switch's grace beyond the longest expected gap between pings: an assumption, not in our config. */
export const DEAD_MANS_SWITCH_GRACE_SECONDS = 60;

/**
 * Prometheus tells Alertmanager a firing alert is valid until
 * 4 × max(resend delay, evaluation interval) after each send
 * (rules/alerting.go sendAlerts): Alertmanager keeps a dead Prometheus's
 * watchdog firing, and pinging, that long. The stack and compose run
 * Prometheus with ALERT_RESEND_DELAY and config/prometheus.yml's interval.
 */
export function prometheusAlertValiditySeconds(): number {
  const config = parse(readFileSync(join(REPO_ROOT, 'config', 'prometheus.yml'), 'utf8')) as { global?: { evaluation_interval?: string } };
  return 4 * Math.max(durationSeconds(ALERT_RESEND_DELAY), durationSeconds(config.global?.evaluation_interval ?? '1m'));
}

export interface WatchdogAbsence {
  readonly repeatIntervalSeconds: number;
  readonly groupIntervalSeconds: number;
  /** The longest gap between two pings while all is well. */
  readonly longestGapSeconds: number;
  /** Alertmanager (or its way out) down: the pings stop at once. */
  readonly alertmanagerDownSeconds: number;
  /** Prometheus (or its way to Alertmanager) down: Alertmanager keeps pinging until the watchdog alert expires. */
  readonly prometheusDownSeconds: number;
}

/**
 * When the dead-man's switch notices, at worst (the pipeline breaks just
 * after a ping). Alertmanager re-sends an unchanged group only when flushing
 * it (every group_interval) and only if its last notification is more than
 * repeat_interval old (notify.go DedupStage.needsUpdate); that notification
 * was logged after it was sent, so a flush exactly repeat_interval later is
 * too early and the gap is the next multiple of group_interval beyond
 * repeat_interval (Alertmanager 0.25 with 5s/5s pings every 5 to 10 s).
 */
export function watchdogAbsence(): WatchdogAbsence {
  const route = productionRoute({ alertname: ALERT.watchdog, severity: WATCHDOG_SEVERITY });
  const longestGapSeconds = (Math.floor(route.repeatIntervalSeconds / route.groupIntervalSeconds) + 1) * route.groupIntervalSeconds;
  const alertmanagerDownSeconds = longestGapSeconds + DEAD_MANS_SWITCH_GRACE_SECONDS;
  return {
    repeatIntervalSeconds: route.repeatIntervalSeconds,
    groupIntervalSeconds: route.groupIntervalSeconds,
    longestGapSeconds,
    alertmanagerDownSeconds,
    prometheusDownSeconds: prometheusAlertValiditySeconds() + alertmanagerDownSeconds,
  };
}
