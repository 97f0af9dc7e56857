/**
 * AI spend: projected over each service's budget and each tenant's and
 * feature's (from its SLO spec), a spike against the same hour of the last
 * week, calls nobody can price.
 */
import {
  ALERT,
  ALERT_THRESHOLD,
  APP_PAGES,
  ATTRIBUTED_BUDGET_OWNERS,
  BUDGET_THRESHOLD_LABEL,
  LABEL,
  METRICS,
  SERVICE_LABEL,
  attributedBudgetShareQuery,
  jobLabels,
  jobMatchers,
  selector,
  type AlertName,
  type AttributedBudgetOwner,
} from '@modelwatch/conventions';
import type { ServiceObjectives } from '../slo-spec/objectives';
import { durationSeconds } from '../duration';
import type { TimingProfile } from '../profile';
import { VALUE, percent, type AlertRule } from './alert-rule';

const COST = METRICS.genAiCost.name;
const common = { group: 'spend', op: '>', page: APP_PAGES.aiModels, dashboard: 'aiModels' } as const;
const DAY = durationSeconds('1d');
const BASELINE_DAYS = 7;

/** Spend per second over `window`, as USD per `horizon` against the share of the monthly budget that horizon gets. */
function projectedBudgetShare(service: ServiceObjectives, window: string, horizonSeconds: number): string {
  const budget = Number(((service.monthlyBudgetUsd * horizonSeconds) / (30 * DAY)).toPrecision(12));
  return `sum by (${SERVICE_LABEL}) (rate(${selector(COST, { matchers: jobMatchers(service.jobs) })}[${window}])) * ${horizonSeconds} / ${budget}`;
}

/** Spend projected over a day and over 30 days, against each service's budget. */
export function budgetAlerts(services: readonly ServiceObjectives[]): AlertRule[] {
  return services.flatMap((service): AlertRule[] => [
    {
      ...common,
      name: ALERT.aiSpendOverBudget,
      severity: 'warning',
      labels: { ...jobLabels(service.jobs), projection: 'day' },
      key: service.title,
      query: (t) => projectedBudgetShare(service, t.window('1h'), DAY),
      threshold: ALERT_THRESHOLD.aiSpendBudgetShare.day,
      for: '30m',
      summary: '{{ $labels.job }} is spending AI budget too fast today',
      description: `At the last hour's pace, {{ $labels.job }} spends ${VALUE} of its daily share of its $${service.monthlyBudgetUsd} monthly AI budget.`,
      value: 'percent',
    },
    {
      ...common,
      name: ALERT.aiSpendOverBudget,
      severity: 'warning',
      labels: { ...jobLabels(service.jobs), projection: 'month' },
      key: service.title,
      query: (t) => projectedBudgetShare(service, t.window('1d'), 30 * DAY),
      threshold: ALERT_THRESHOLD.aiSpendBudgetShare.month,
      for: '1h',
      summary: '{{ $labels.job }} is on course to overspend its monthly AI budget',
      description: `At the last day's pace, {{ $labels.job }} spends ${VALUE} of its $${service.monthlyBudgetUsd} monthly AI budget in 30 days.`,
      value: 'percent',
    },
  ]);
}

const OWNER_ALERT: Readonly<Record<AttributedBudgetOwner, AlertName>> = { tenant: ALERT.aiTenantSpendOverBudget, feature: ALERT.aiFeatureSpendOverBudget };

/** The shares of a budget a service's tenant and feature budgets alert at: its warnings, then 100 %. */
function budgetLevels(service: ServiceObjectives): number[] {
  return [...service.budgets.warnAt, 1];
}

/** Every level some service's tenant or feature budgets alert at, in increasing order (the Alertmanager inhibitions are built from them). */
export function attributedBudgetLevels(services: readonly ServiceObjectives[]): number[] {
  const owning = services.filter((service) => ATTRIBUTED_BUDGET_OWNERS.some((owner) => Object.keys(service.budgets[owner]).length > 0));
  return [...new Set(owning.flatMap(budgetLevels))].sort((a, b) => a - b);
}

/**
 * Each tenant's and feature's spend projected over this month (its days) at the last day's pace, against its own
 * budget, at every warning share of the spec and at 100 %. All warnings, 100 % too: overspending is money, not users, so it
 * opens a ticket like the service's own budget alert and pages nobody. The higher level inhibits the lower ones
 * in Alertmanager, so a tenant over 95 % sends one notification, not two.
 */
export function attributedBudgetAlerts(services: readonly ServiceObjectives[]): AlertRule[] {
  return services.flatMap((service) =>
    ATTRIBUTED_BUDGET_OWNERS.filter((owner) => Object.keys(service.budgets[owner]).length > 0).flatMap((owner) =>
      budgetLevels(service).map((share): AlertRule => {
        const who = `${owner} {{ $labels.${LABEL[owner]} }} of {{ $labels.job }}`;
        return {
          ...common,
          name: OWNER_ALERT[owner],
          severity: 'warning',
          labels: { ...jobLabels(service.jobs), [BUDGET_THRESHOLD_LABEL]: percent(share) },
          key: service.title,
          query: (t) => attributedBudgetShareQuery(service.jobs, owner, t.window('1d')),
          threshold: share,
          for: '1h',
          summary: share < 1 ? `The ${who} is on course to spend ${percent(share)} of its monthly AI budget` : `The ${who} is on course to overspend its monthly AI budget`,
          description: `At the last day's pace, the ${who} spends ${VALUE} of its monthly AI budget this month (this alert: over ${percent(share)}).`,
          value: 'percent',
        };
      }),
    ),
  );
}

/** Last hour's spend over the mean of the same hour on each of the previous 7 days, when the hour spent enough to matter. */
function spendSpike(t: TimingProfile): string {
  const hour = t.window('1h');
  const spent = (offset?: string) => `sum by (${SERVICE_LABEL}) (increase(${COST}[${hour}]${offset ? ` offset ${offset}` : ''}))`;
  const baseline = Array.from({ length: BASELINE_DAYS }, (_, i) => spent(`${i + 1}d`)).join(' + ');
  // Parenthesised whole: the rule appends `> factor`, which would otherwise bind to the right side of `and`.
  return `((${spent()} / ((${baseline}) / ${BASELINE_DAYS})) and ${spent()} > ${ALERT_THRESHOLD.aiSpendSpikeMinUsdPerHour})`;
}

export const SPEND_ALERTS: readonly AlertRule[] = [
  {
    ...common,
    name: ALERT.aiSpendSpike,
    severity: 'warning',
    query: spendSpike,
    threshold: ALERT_THRESHOLD.aiSpendSpikeFactor.warning,
    for: '15m',
    summary: '{{ $labels.job }} AI spend spiked',
    description: `{{ $labels.job }} spent ${VALUE} its usual amount in the last hour (mean of the same hour over the previous ${BASELINE_DAYS} days).`,
    value: 'times',
  },
  {
    ...common,
    name: ALERT.aiUnpricedCalls,
    severity: 'info',
    query: (t) => `sum by (${SERVICE_LABEL}, ${LABEL.genAiProviderName}, ${LABEL.genAiRequestModel}) (increase(${selector(METRICS.genAiUnpricedOperations.name)}[${t.window('15m')}]))`,
    threshold: 0,
    for: '1m',
    summary: '{{ $labels.job }} calls {{ $labels.gen_ai_request_model }}, a model without a price',
    description: `{{ $labels.job }} made ${VALUE} calls to {{ $labels.gen_ai_provider_name }}/{{ $labels.gen_ai_request_model }} in the last 15 minutes; their cost is missing from the spend metrics.`,
    value: 'number',
  },
];
