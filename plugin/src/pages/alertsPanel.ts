/**
 * Alerts as a Grafana table: one row per alert, its severity coloured
 * (critical red, warning orange, info blue), what it is about, its value,
 * how long it has been firing and its runbook.
 */
import { MappingType, type ValueMapping } from '@grafana/data';
import { SLO_LABEL } from '@modelwatch/conventions';
import { alertRows, type AlertRow, type AlertState, type AlertsResult } from '../data/alerts';
import { subjectOf } from '../data/slo';
import { tableFrame, type Column } from '../panels/frames';
import { tableViz } from '../panels/viz';
import type { PanelContent } from './overviewPanels';

const SEVERITY_COLORS: ValueMapping = {
  type: MappingType.ValueToText,
  options: { critical: { color: 'red', index: 0 }, warning: { color: 'orange', index: 1 }, info: { color: 'blue', index: 2 } },
};

/** What an alert is about: its objective and model or cache, else its service. */
export function about(alert: AlertRow): string {
  return [alert.labels[SLO_LABEL.name], subjectOf(alert.labels), alert.labels.job].filter(Boolean).join(' · ');
}

export function alertsPanel(result: AlertsResult, states: readonly AlertState[], compact = false): PanelContent {
  const rows = alertRows(result.alerts, states);
  const columns: Array<Column<AlertRow>> = [
    { name: 'Severity', value: (a) => a.severity, config: { mappings: [SEVERITY_COLORS], custom: { width: 90, cellOptions: { type: 'color-text' } } } },
    { name: 'State', value: (a) => a.state },
    // A burn alert's ticket copy folds under its page: "… (also warning)".
    { name: 'Alert', value: (a) => (a.otherSeverities.length > 0 ? `${a.name} (also ${a.otherSeverities.join(', ')})` : a.name), config: { custom: { width: 320 } } },
    { name: 'About', value: about, config: { custom: { width: 260 } } },
    ...(compact ? [] : [{ name: 'Summary', value: (a: AlertRow) => a.summary }]),
    { name: 'Value', value: (a) => a.value, config: { decimals: 3 } },
    { name: 'Since', value: (a) => (a.since ? Date.parse(a.since) : undefined), config: { unit: 'dateTimeFromNow' } },
    // The runbook's URL is the cell's value: `:raw` keeps Grafana from encoding it as it does interpolated link values.
    { name: 'Runbook', value: (a) => a.runbookUrl, config: { links: [{ title: 'Open the runbook', url: '${__value.raw:raw}', targetBlank: true }] } },
  ];
  return { viz: tableViz(), frames: [tableFrame(columns, rows)] };
}
