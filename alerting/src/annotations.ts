/**
 * The annotations every alert carries — summary, description with the
 * measured value, runbook and the Grafana dashboard and app page — written for
 * Prometheus' template language; Grafana's rules get the same text with its
 * own name for the value.
 */
import { DASHBOARD_UID, appPagePath } from '@modelwatch/conventions';
import { VALUE, prometheusValue, type AlertRule } from './catalogue/alert-rule';
import { SETTINGS } from './catalogue/settings';

export interface Annotations {
  summary: string;
  description: string;
  runbook_url: string;
  dashboard_url: string;
  plugin_url: string;
}

/** Prometheus' rules: Grafana's URL as `SETTINGS.grafanaUrl` says, with the trailing slash the links are appended to. */
export const PROMETHEUS_GRAFANA_BASE = `${SETTINGS.grafanaUrl.replace(/\/+$/, '')}/`;

/**
 * Annotations with the value written by `valueText` (a template expression of
 * the output's language) and the dashboard and app links under `grafanaBase`
 * (Grafana's URL ending in `/`, or a template that prints it).
 */
export function annotations(rule: AlertRule, valueText: string = prometheusValue(rule.value), grafanaBase: string = PROMETHEUS_GRAFANA_BASE): Annotations {
  return {
    summary: rule.summary,
    description: rule.description.replace(VALUE, valueText),
    runbook_url: runbookUrl(rule.name),
    dashboard_url: `${grafanaBase}d/${DASHBOARD_UID[rule.dashboard]}?var-job={{ $labels.job }}`,
    plugin_url: `${grafanaBase}${appPagePath(rule.page).replace(/^\//, '')}?var-job={{ $labels.job }}`,
  };
}

export function runbookUrl(name: string): string {
  return `${SETTINGS.runbookBaseUrl}/${name}.md`;
}

