/**
 * Multi-window, multi-burn-rate alerts, one per objective and urgency: a page
 * (critical) on the fast pairs of objectives users feel, a ticket (warning) on
 * the slow pairs, and only tickets for objectives that do not page. The
 * objective's labels (name, kind, target, threshold, scope) come with the
 * recorded burn rates, so a notification explains itself.
 */
import { ALERT_SEVERITY, APP_PAGES, SLO_ALERT, SLO_KIND, SLO_LABEL, SLO_PERIOD, alertPairs, jobLabels, burnAlertQuery, type BurnRatePair, type Objective, type SloKind } from '@modelwatch/conventions';
import type { ServiceObjectives } from '../slo-spec/objectives';
import { VALUE, type AlertRule } from './alert-rule';

const MODEL = '{{ $labels.gen_ai_provider_name }}/{{ $labels.gen_ai_request_model }}';
const TARGET = '{{ $labels.slo_target | humanizePercentage }}';
const THRESHOLD = '{{ $labels.slo_threshold_seconds | humanizeDuration }}';

/** What the objective promises, in words with the series' labels. */
const PROMISE: Record<SloKind, string> = {
  [SLO_KIND.availability]: `${TARGET} of the requests to {{ $labels.slo_scope }} not answered 5xx`,
  [SLO_KIND.httpLatency]: `${TARGET} of the requests to {{ $labels.slo_scope }} answered within ${THRESHOLD}`,
  [SLO_KIND.aiSuccess]: `${TARGET} of the calls to ${MODEL} succeeding`,
  [SLO_KIND.aiTimeToFirstChunk]: `${TARGET} of the streamed calls to ${MODEL} sending their first chunk within ${THRESHOLD}`,
  [SLO_KIND.aiTimePerOutputToken]: `${TARGET} of the calls to ${MODEL} generating at ${THRESHOLD} per output token or faster`,
  [SLO_KIND.aiDuration]: `${TARGET} of the calls to ${MODEL} answered within ${THRESHOLD}`,
  [SLO_KIND.cacheSuccess]: `${TARGET} of the lookups in cache {{ $labels.cache_name }} not failing`,
};

const PLACE: Record<Objective['scope']['over'], { page: AlertRule['page']; dashboard: AlertRule['dashboard']; what: string }> = {
  http: { page: APP_PAGES.overview, dashboard: 'serviceHealth', what: '' },
  ai: { page: APP_PAGES.aiModels, dashboard: 'aiModels', what: ` on ${MODEL}` },
  cache: { page: APP_PAGES.cache, dashboard: 'cache', what: ' in cache {{ $labels.cache_name }}' },
};

function pairsText(pairs: readonly BurnRatePair[]): string {
  return pairs.map((pair) => `${pair.factor}× over ${pair.long} and ${pair.short}`).join(', or ');
}

function burnAlert(service: ServiceObjectives, objective: Objective, urgency: BurnRatePair['urgency']): AlertRule {
  const pairs = alertPairs(objective, urgency);
  const place = PLACE[objective.scope.over];
  const consequence =
    urgency === 'page'
      ? `At this pace the ${SLO_PERIOD} error budget is gone within days: users feel it now.`
      : objective.page
        ? `At this pace the ${SLO_PERIOD} error budget runs out before the period ends.`
        : `This objective does not page (a dependency's failure that failover or retries may hide from users); check the user-facing objectives on the Overview.`;
  return {
    name: SLO_ALERT[objective.kind],
    severity: urgency === 'page' ? ALERT_SEVERITY.critical : ALERT_SEVERITY.warning,
    group: 'slo',
    query: () => burnAlertQuery(objective, pairs),
    op: '>',
    threshold: 1,
    // A rule with a fast pair waits 2 minutes (its short window already filters blips); one on the slow pairs only,
    // a ticket that can wait, 15 — so a dependency's outage (its objective never pages) still opens a ticket in minutes.
    for: pairs.some((pair) => pair.urgency === 'page') ? '2m' : '15m',
    summary: `{{ $labels.job }}: objective "{{ $labels.slo }}"${place.what} is burning its error budget`,
    description:
      `The objective "{{ $labels.slo }}" of {{ $labels.job }} (${PROMISE[objective.kind]}, over ${SLO_PERIOD}) is burning its error budget at ${VALUE} ` +
      `the rate this alert allows (${pairsText(pairs)}). ${consequence}`,
    value: 'times',
    labels: { ...jobLabels(service.jobs), [SLO_LABEL.name]: objective.name },
    key: `${service.title} ${objective.name}`,
    page: place.page,
    dashboard: place.dashboard,
  };
}

export function sloAlerts(services: readonly ServiceObjectives[]): AlertRule[] {
  return services.flatMap((service) =>
    service.objectives.flatMap((objective) => (objective.page ? [burnAlert(service, objective, 'page'), burnAlert(service, objective, 'ticket')] : [burnAlert(service, objective, 'ticket')])),
  );
}
