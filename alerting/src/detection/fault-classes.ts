/**
 * The fault classes whose detection time is measured, each with the alert
 * that must detect it and, where the team set one, the goal. The names of
 * objectives (`slo`) are those of demo/slos.yaml.
 */
import { AI_ERROR_TYPE, ALERT, ALERT_SEVERITY, LABEL, SLO_LABEL } from '@modelwatch/conventions';
import type { AlertingRule } from '../prometheus/rule-file';
import { HEALTHY, JOB, share, total, type ModelCalls, type Traffic } from './synthetic-service';

export interface FaultClass {
  readonly title: string;
  readonly faulty: Traffic;
  /** The alert rules the run loads (with every recording rule they read). */
  readonly rules: (rule: AlertingRule) => boolean;
  /** Detected when an alert with these labels fires. */
  readonly detectedBy: Readonly<Record<string, string>>;
  readonly goal?: { readonly minutes: number; readonly text: string };
  /** Hidden from users by failover: no critical alert may fire (the run loads every page). */
  readonly pagesNobody?: boolean;
}

const page = { severity: ALERT_SEVERITY.critical } as const;
const ticket = { severity: ALERT_SEVERITY.warning } as const;

/** One of the demo's alert rules, by name, severity and (for burn-rate alerts) objective. */
function demoRule(alert: string, severity: string, slo?: string): (rule: AlertingRule) => boolean {
  return (rule) => rule.alert === alert && rule.labels.severity === severity && rule.labels.job === JOB && (slo === undefined || rule.labels[SLO_LABEL.name] === slo);
}

const withRoute = (traffic: Traffic, path: string, replace: (r: Traffic['routes'][number]) => Traffic['routes']): Traffic => ({
  ...traffic,
  routes: traffic.routes.flatMap((r) => (r.route === path ? replace(r) : [r])),
});

const withModels = (traffic: Traffic, change: (calls: ModelCalls) => ModelCalls): Traffic => ({ ...traffic, models: traffic.models.map(change) });

const isStream = (calls: ModelCalls, model: string) => calls.model === model && calls.firstChunkSeconds !== undefined;

export const FAULT_CLASSES: readonly FaultClass[] = [
  {
    title: 'total outage: every POST /chat answered 500',
    faulty: withRoute(HEALTHY, '/chat', (r) => [{ ...r, status: '500', seconds: [[0.03, total(r.seconds)]] }]),
    rules: demoRule(ALERT.availabilityBudgetBurn, page.severity, 'availability'),
    detectedBy: { alertname: ALERT.availabilityBudgetBurn, ...page },
    goal: { minutes: 5, text: 'page within 5 min' },
  },
  {
    title: '10 % errors: a tenth of every route answered 503',
    faulty: { ...HEALTHY, routes: HEALTHY.routes.flatMap((r) => [{ ...r, seconds: share(r.seconds, 0.9) }, { ...r, status: '503', seconds: [[0.02, total(r.seconds) / 10]] }]) },
    rules: demoRule(ALERT.availabilityBudgetBurn, page.severity, 'availability'),
    detectedBy: { alertname: ALERT.availabilityBudgetBurn, ...page },
    goal: { minutes: 15, text: 'page within 15 min' },
  },
  {
    title: 'masked: claude-haiku-4-5 down, failover to gpt-4o-mini, HTTP 2xx',
    faulty: withModels(HEALTHY, (calls) => {
      if (isStream(calls, 'claude-haiku-4-5')) return { ...calls, seconds: 0.3, errorType: AI_ERROR_TYPE.serverError, firstChunkSeconds: undefined, secondsPerOutputToken: undefined };
      if (isStream(calls, 'gpt-4o-mini')) return { ...calls, perMinute: calls.perMinute + HEALTHY.models.find((c) => isStream(c, 'claude-haiku-4-5'))!.perMinute };
      return calls;
    }),
    // Every page, to show none fires, and the per-model error-rate ticket.
    rules: (rule) => rule.labels.severity === ALERT_SEVERITY.critical || rule.alert === ALERT.aiErrorRate,
    detectedBy: { ...ticket, [LABEL.genAiRequestModel]: 'claude-haiku-4-5' },
    goal: { minutes: 10, text: 'ticket within 10 min, no page' },
    pagesNobody: true,
  },
  {
    title: 'latency: POST /chat cache misses take 12 s (99 % ≤ 10 s)',
    faulty: withRoute(HEALTHY, '/chat', (r) => [{ ...r, seconds: [...r.seconds.filter(([seconds]) => seconds < 0.5), [12, total(r.seconds.filter(([seconds]) => seconds >= 0.5))]] }]),
    rules: demoRule(ALERT.latencyBudgetBurn, page.severity, 'POST /chat: latency'),
    detectedBy: { alertname: ALERT.latencyBudgetBurn, ...page, [SLO_LABEL.name]: 'POST /chat: latency' },
  },
  {
    title: 'gpt-4o first chunk after 4 s (99 % ≤ 2.56 s)',
    faulty: withModels(HEALTHY, (calls) => (isStream(calls, 'gpt-4o') ? { ...calls, firstChunkSeconds: 4 } : calls)),
    rules: demoRule(ALERT.aiLatencyBudgetBurn, ticket.severity, 'chat models: time to first chunk'),
    detectedBy: { alertname: ALERT.aiLatencyBudgetBurn, ...ticket, [LABEL.genAiRequestModel]: 'gpt-4o' },
  },
  {
    title: 'answers cache: every lookup errors (99 % succeed)',
    faulty: { ...HEALTHY, caches: HEALTHY.caches.map((c) => (c.cache === 'answers' ? { ...c, hit: 0, miss: 0, error: c.hit + c.miss } : c)) },
    rules: demoRule(ALERT.cacheBudgetBurn, ticket.severity, 'answers: success'),
    detectedBy: { alertname: ALERT.cacheBudgetBurn, ...ticket, [LABEL.cacheName]: 'answers' },
  },
  {
    title: 'demo not scraped (crashed, /metrics broken)',
    faulty: { ...HEALTHY, scrapeFails: true },
    rules: (rule) => rule.alert === ALERT.targetDown,
    detectedBy: { alertname: ALERT.targetDown, ...page },
  },
];
