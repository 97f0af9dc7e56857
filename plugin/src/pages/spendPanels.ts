/**
 * Spend by tenant and by feature on the AI models page: each one's month at
 * the current pace (projected as the service's own spend is) against the
 * monthly budget the service's SLO spec gives it, as a bar in the row, orange
 * from the first early warning and red at the whole budget. The folded
 * tenants and the calls nobody attributed are rows too, named in words.
 */
import { LABEL, SERVICE_LABEL, attributedValueNames, type AttributedBudgetOwner } from '@modelwatch/conventions';
import type { Series } from '../data/dsQuery';
import { joinOn } from '../data/join';
import { tableFrame, type Column } from '../panels/frames';
import { UNIT } from '../panels/units';
import { GAUGE_CELL, tableViz, thresholds } from '../panels/viz';
import { BUDGET_WARNING_SHARE } from './aiModelsPanels';
import type { PanelContent } from './overviewPanels';

export interface SpendRow {
  id: string;
  /** The tenant or feature as the panel names it (`other tenants`, `unattributed`). */
  name: string;
  projected: number;
  budget?: number;
}

/** One row per tenant (or feature) that spends, top spender first, its budget where it has one: budgets of tenants that spend nothing now are left out. */
export function spendRows(by: AttributedBudgetOwner, spend: readonly Series[], budget: readonly Series[]): SpendRow[] {
  const names = attributedValueNames(by);
  const rows: SpendRow[] = joinOn([SERVICE_LABEL, by], { projected: spend, budget }).flatMap((row) => {
    const { projected, budget: monthly } = row.values;
    if (projected === undefined) return [];
    const value = row.labels[by] ?? '';
    return [{ id: row.key, name: names[value] ?? value, projected, ...(monthly === undefined ? {} : { budget: monthly }) }];
  });
  return rows.sort((a, b) => b.projected - a.projected);
}

const TITLE = { [LABEL.tenant]: 'Tenant', [LABEL.feature]: 'Feature' } as const;
const PROJECTED = 'Projected month';

/** A bar of the budget used, coloured as the service's budget bar: green, orange from the first early warning, red from all of it. */
export const BUDGET_USED_THRESHOLDS = thresholds('green', [BUDGET_WARNING_SHARE, 'orange'], [1, 'red']);

/** Top spenders first (as Grafana sorts the table); a row without a budget has no bar (an empty cell), only its spend. */
export function attributedSpendPanel(by: AttributedBudgetOwner, rows: readonly SpendRow[]): PanelContent {
  const usd = { unit: UNIT.usd, decimals: 2 };
  const columns: Array<Column<SpendRow>> = [
    { name: TITLE[by], value: (row) => row.name, config: { custom: { width: 160 } } },
    { name: PROJECTED, value: (row) => row.projected, config: usd },
    { name: 'Budget', value: (row) => row.budget, config: usd },
    {
      name: 'Budget used',
      value: (row) => (row.budget === undefined || row.budget <= 0 ? undefined : row.projected / row.budget),
      // Past the budget the bar stays full and red; the text says by how much.
      config: { unit: UNIT.ratio, decimals: 0, min: 0, max: 1, thresholds: BUDGET_USED_THRESHOLDS, custom: GAUGE_CELL },
    },
  ];
  return { viz: tableViz([{ displayName: PROJECTED, desc: true }]), frames: [tableFrame(columns, rows)] };
}
