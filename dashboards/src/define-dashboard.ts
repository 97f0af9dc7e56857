/**
 * A Modelwatch dashboard from its sections of panels: the common variables,
 * header links, tags, refresh and time range are the same everywhere, and
 * panel ids are numbered in order so they stay stable across regenerations.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { GRAFANA_FOLDER } from '@modelwatch/conventions';
import { dashboardLinks, type DashboardRef } from './links';
import { datasourceVariable, instanceVariable, jobVariable } from './variables';

/** What `bin/generate` writes into every dashboard's description: the JSON is an output, not a source. */
export const GENERATED_NOTE = 'Generated from dashboards/src by `npm run dashboards`; edit the TypeScript, not this JSON.';

export interface PanelBuilderWithId extends cog.Builder<dashboard.Panel> {
  id(id: number): this;
}

export interface Section {
  title: string;
  panels: readonly PanelBuilderWithId[];
}

export interface DashboardDefinition extends DashboardRef {
  description: string;
  /** Variables after the common ones (data source, job, instance). */
  variables?: readonly dashboard.QueryVariableBuilder[];
  sections: readonly Section[];
}

export function buildDashboard(definition: DashboardDefinition, all: readonly DashboardRef[]): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(definition.title)
    .uid(definition.uid)
    .description(`${definition.description} ${GENERATED_NOTE}`)
    .tags([GRAFANA_FOLDER.uid])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .variables([datasourceVariable(), jobVariable(), instanceVariable(), ...(definition.variables ?? [])])
    .links(dashboardLinks(definition.uid, all));
  let nextId = 1;
  for (const section of definition.sections) {
    builder.withRow(new dashboard.RowBuilder(section.title).id(nextId++).collapsed(false));
    for (const panel of section.panels) builder.withPanel(panel.id(nextId++));
  }
  return builder.build();
}
