/** Multi-window, multi-burn-rate alerts on the availability and latency SLOs. */
import { ALERT, APP_PAGES, BURN_RATE_WINDOWS, SERVICE_LABEL, SLO, SLO_RECORDING_RULE, selector, type SloId } from '@modelwatch/exporter/conventions';
import { VALUE, percent, type AlertRule } from './alert-rule';

const SLO_ALERT: Record<SloId, { name: AlertRule['name']; what: string }> = {
  availability: { name: ALERT.availabilityBudgetBurn, what: 'Requests answered 5xx' },
  latency: { name: ALERT.latencyBudgetBurn, what: `Requests slower than ${SLO.latency.thresholdSeconds} s` },
};

/** The lower of the long and short window's burn rate: over the factor only when both are. */
export function burnRateQuery(slo: SloId, long: string, short: string): string {
  const burn = selector(SLO_RECORDING_RULE.burnRate, {}, [`${SLO_RECORDING_RULE.sloLabel}="${slo}"`, `${SLO_RECORDING_RULE.windowLabel}=~"${long}|${short}"`]);
  return `min by (${SERVICE_LABEL}, ${SLO_RECORDING_RULE.sloLabel}) (${burn})`;
}

export const SLO_ALERTS: readonly AlertRule[] = (Object.keys(SLO) as SloId[]).flatMap((slo) =>
  BURN_RATE_WINDOWS.map(({ severity, long, short, factor }): AlertRule => ({
    name: SLO_ALERT[slo].name,
    severity,
    group: 'slo',
    query: () => burnRateQuery(slo, long, short),
    op: '>',
    threshold: factor,
    for: severity === 'critical' ? '2m' : '15m',
    labels: { [SLO_RECORDING_RULE.sloLabel]: slo, long_window: long },
    summary: `{{ $labels.job }} is burning its ${slo} error budget ${factor}× too fast`,
    description:
      `${SLO_ALERT[slo].what} on {{ $labels.job }} spend the ${percent(1 - SLO[slo].target)} error budget of the ${percent(SLO[slo].target)} ${slo} SLO ` +
      `at ${VALUE} the sustainable rate over both the last ${long} and ${short}.`,
    value: 'times',
    page: APP_PAGES.overview,
    dashboard: 'serviceHealth',
  })),
);
