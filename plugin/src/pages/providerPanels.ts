/**
 * What the providers did with the service's calls, on the AI models page:
 * which requested models another model answered (fallbacks, aliases,
 * routers), how often and for what share of the requested model's calls; and
 * how much of each provider rate limit is left, per model and limit type,
 * with the time until it is full again, red when little is left.
 */
import { LABEL, RATE_LIMIT_HEADROOM_SHARE, SERVICE_LABEL } from '@modelwatch/conventions';
import type { Series } from '../data/dsQuery';
import { joinOn } from '../data/join';
import { tableFrame, type Column } from '../panels/frames';
import { UNIT } from '../panels/units';
import { GAUGE_CELL, tableViz, thresholds } from '../panels/viz';
import { modelDashboardLink, type LinkContext, type PanelContent } from './overviewPanels';

export interface SubstitutionRow {
  id: string;
  provider: string;
  requested: string;
  served: string;
  calls: number;
  share?: number;
}

export function substitutionRows(calls: readonly Series[], share: readonly Series[]): SubstitutionRow[] {
  return joinOn([SERVICE_LABEL, LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.genAiResponseModel], { calls, share }).flatMap((row) =>
    row.values.calls === undefined
      ? []
      : [
          {
            id: row.key,
            provider: row.labels[LABEL.genAiProviderName] ?? '',
            requested: row.labels[LABEL.genAiRequestModel] ?? '',
            served: row.labels[LABEL.genAiResponseModel] ?? '',
            calls: row.values.calls,
            ...(row.values.share === undefined ? {} : { share: row.values.share }),
          },
        ],
  );
}

/** Requested → served model, most substituted first; the requested model opens the AI models dashboard filtered to it. */
export function substitutionsPanel(rows: readonly SubstitutionRow[], links: LinkContext): PanelContent {
  const columns: Array<Column<SubstitutionRow>> = [
    { name: 'Provider', value: (row) => row.provider, config: { custom: { width: 100 } } },
    { name: 'Model', value: (row) => row.requested, config: { custom: { width: 190 }, links: [modelDashboardLink(links)] } },
    { name: 'Answered by', value: (row) => row.served, config: { custom: { width: 190 } } },
    // Counts over the range: an increase extrapolated to the range's edges is not a whole number.
    { name: 'Calls', value: (row) => row.calls, config: { unit: UNIT.count, decimals: 0 } },
    { name: 'Share of its calls', value: (row) => row.share, config: { unit: UNIT.ratio, decimals: 1 } },
  ];
  return { viz: tableViz([{ displayName: 'Calls', desc: true }]), frames: [tableFrame(columns, rows)] };
}

export interface RateLimitRow {
  id: string;
  provider: string;
  model: string;
  /** What the limit counts, in words (`input tokens`). */
  limit: string;
  remaining?: number;
  resetSeconds?: number;
}

export function rateLimitRows(remaining: readonly Series[], reset: readonly Series[]): RateLimitRow[] {
  return joinOn([SERVICE_LABEL, LABEL.genAiProviderName, LABEL.genAiRequestModel, LABEL.rateLimitType], { remaining, reset }).map((row) => ({
    id: row.key,
    provider: row.labels[LABEL.genAiProviderName] ?? '',
    model: row.labels[LABEL.genAiRequestModel] ?? '',
    limit: (row.labels[LABEL.rateLimitType] ?? '').replace(/_/g, ' '),
    ...(row.values.remaining === undefined ? {} : { remaining: row.values.remaining }),
    ...(row.values.reset === undefined ? {} : { resetSeconds: row.values.reset }),
  }));
}

/** The remaining share as a bar: red at the critical share, orange at the low one, green above. */
export const HEADROOM_THRESHOLDS = thresholds('red', [RATE_LIMIT_HEADROOM_SHARE.critical, 'orange'], [RATE_LIMIT_HEADROOM_SHARE.low, 'green']);

/** Each provider rate limit per model, least headroom first. */
export function rateLimitsPanel(rows: readonly RateLimitRow[], links: LinkContext): PanelContent {
  const columns: Array<Column<RateLimitRow>> = [
    { name: 'Provider', value: (row) => row.provider, config: { custom: { width: 100 } } },
    { name: 'Model', value: (row) => row.model, config: { custom: { width: 190 }, links: [modelDashboardLink(links)] } },
    { name: 'Limit', value: (row) => row.limit, config: { custom: { width: 120 } } },
    { name: 'Remaining', value: (row) => row.remaining, config: { unit: UNIT.ratio, decimals: 0, min: 0, max: 1, thresholds: HEADROOM_THRESHOLDS, custom: GAUGE_CELL } },
    { name: 'Resets in', value: (row) => row.resetSeconds, config: { unit: UNIT.seconds, decimals: 0 } },
  ];
  return { viz: tableViz([{ displayName: 'Remaining', desc: false }]), frames: [tableFrame(columns, rows)] };
}
