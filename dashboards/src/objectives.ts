/**
 * The objectives as the panels read them: the series the recording rules
 * publish per objective (no spec needed, every series carries the objective's
 * labels), and the one panel each dashboard shows of the objectives in its
 * domain. The Service health dashboard holds the full SLO table.
 */
import { BURN_RATE_PAIRS, LABEL, SLO_LABEL, SLO_RECORDING_RULE, pairBurnRateOf, selector, type BurnRatePair, type SliWindow, type SloKind } from '@modelwatch/conventions';
import { timeSeriesPanel } from './panels';
import { promQuery } from './query';
import { SERVICE_SCOPE } from './variables';

/** The window of the SLIs the panels show: the fast page pair's long window. */
export const SLI_PANEL_WINDOW: SliWindow = '1h';

/** The burn-rate pairs that page (the fast and the slow burn). */
export const PAGE_PAIRS = BURN_RATE_PAIRS.filter((pair) => pair.urgency === 'page');

/** Legend of one objective's series: its name and the model or cache it covers (empty for HTTP objectives). */
export const OBJECTIVE_LEGEND = `{{${SLO_LABEL.name}}} {{${LABEL.genAiRequestModel}}}{{${LABEL.cacheName}}}`;

/** `slo_kind` matcher for objectives of these kinds. */
export function kindMatcher(kinds: readonly SloKind[]): string {
  return kinds.length === 1 ? `${SLO_LABEL.kind}="${kinds[0]}"` : `${SLO_LABEL.kind}=~"${kinds.join('|')}"`;
}

/** A recorded objective series of the selected services. */
export function objectiveSeries(rule: string, extra: readonly string[] = []): string {
  return selector(rule, SERVICE_SCOPE, extra);
}

/** Share of good events over `window` (1 − the recorded error ratio). */
export function sli(window: SliWindow, extra: readonly string[] = []): string {
  return `1 - ${objectiveSeries(SLO_RECORDING_RULE.errorRatio, [`${SLO_LABEL.window}="${window}"`, ...extra])}`;
}

/** The recorded burn rate over `window`. */
export function burnRate(window: SliWindow): string {
  return objectiveSeries(SLO_RECORDING_RULE.burnRate, [`${SLO_LABEL.window}="${window}"`]);
}

/**
 * A pair's burn rate as its alert compares it with the pair's factor: the
 * lower of its long and short window's, and only where both have a sample.
 * Above the factor exactly while the alert's condition holds.
 */
export function pairBurnRate(pair: Pick<BurnRatePair, 'long' | 'short'>): string {
  return pairBurnRateOf(SERVICE_SCOPE.matchers ?? [], pair);
}

/** A dashboard's panel of the objectives of these kinds: each one's SLI over time. */
export function objectiveSliPanel(options: { title: string; description: string; kinds: readonly SloKind[]; legend: string; w?: number }) {
  return timeSeriesPanel({
    title: options.title,
    description: `${options.description} Share of good events over the last ${SLI_PANEL_WINDOW}, per objective; its target is in the Service health dashboard's Objectives table.`,
    queries: [promQuery(sli(SLI_PANEL_WINDOW, [kindMatcher(options.kinds)]), { legend: options.legend })],
    unit: 'percentunit',
    max: 1,
    w: options.w,
  });
}
