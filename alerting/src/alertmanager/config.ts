/**
 * The Alertmanager config from the routing spec, in two forms: `production`
 * reads the PagerDuty routing key and Slack webhook URLs from secret files;
 * `local` (the stack of `npm start` and the live tests) delivers every
 * notification to the loopback sink, whose URL the stack rewrites per run.
 */
import { FAILOVER_ALERTS, LABEL } from '@modelwatch/conventions';
import { SETTINGS } from '../catalogue/settings';
import { GROUP_BY, INHIBITION, QUIET_HOURS, budgetLevelInhibitions, RECEIVER, ROOT_RECEIVER, ROOT_TIMING, ROUTES, SLACK_CHANNEL, type ReceiverName } from '../catalogue/routing';
import { TEMPLATE, call } from './templates';

export type AlertmanagerTarget = 'production' | 'local';

type Json = Record<string, unknown>;

/** `budgetLevels`: the shares the spec's tenant and feature budgets alert at (their inhibitions are built from them). */
export function alertmanagerConfig(target: AlertmanagerTarget, templateGlob: string, budgetLevels: readonly number[] = []): Json {
  return {
    global: { resolve_timeout: '5m' },
    templates: [templateGlob],
    route: {
      receiver: ROOT_RECEIVER,
      group_by: [...GROUP_BY],
      ...ROOT_TIMING[target],
      routes: [
        FAILOVER_ROUTE,
        ...ROUTES.map((route) => ({
        receiver: route.receiver,
        matchers: Object.entries(route.match).map(([name, value]) => `${name}="${value}"`),
        ...route.timing,
          ...(route.receiver === QUIET_HOURS.appliesTo ? { mute_time_intervals: [QUIET_HOURS.name] } : {}),
        })),
      ],
    },
    inhibit_rules: [INHIBITION, ...budgetLevelInhibitions(budgetLevels)].map((rule) => ({
      source_matchers: matchers(rule.source),
      target_matchers: matchers(rule.target),
      equal: [...rule.equal],
    })),
    time_intervals: [{ name: QUIET_HOURS.name, time_intervals: QUIET_HOURS.time_intervals }],
    receivers: [...(Object.values(RECEIVER) as ReceiverName[]).map((name) => receiver(name, target)), failoverReceiver(target)],
  };
}

/** The app's failover webhook (`@modelwatch/exporter/failover`): Alertmanager only, Grafana's policies do not act. */
export const FAILOVER_RECEIVER = 'failover-webhook';

/**
 * The failover alerts also go to the app's failover webhook, first and with `continue`, so the routes after it
 * still notify on-call. One group per model, so each model's firing and resolve reach the webhook on their own;
 * repeated every 5 minutes, so a restarted app learns what still fires.
 */
const FAILOVER_ROUTE: Json = {
  receiver: FAILOVER_RECEIVER,
  matchers: [`alertname=~"${FAILOVER_ALERTS.join('|')}"`],
  group_by: ['alertname', 'job', LABEL.genAiProviderName, LABEL.genAiRequestModel],
  group_wait: '0s',
  group_interval: '10s',
  repeat_interval: '5m',
  continue: true,
};

function failoverReceiver(target: AlertmanagerTarget): Json {
  const authorization = target === 'local' ? { credentials: SETTINGS.localFailoverToken } : { credentials_file: SETTINGS.secretFiles.failoverWebhookToken };
  return { name: FAILOVER_RECEIVER, webhook_configs: [{ url: SETTINGS.failoverWebhookUrl[target], send_resolved: true, http_config: { authorization } }] };
}

function receiver(name: ReceiverName, target: AlertmanagerTarget): Json {
  switch (name) {
    case RECEIVER.page:
      return { name, pagerduty_configs: [pagerduty(target)], slack_configs: [slack(SLACK_CHANNEL.alerts, target)] };
    case RECEIVER.slack:
      return { name, slack_configs: [slack(SLACK_CHANNEL.alerts, target)] };
    case RECEIVER.lowPriority:
      return { name, slack_configs: [slack(SLACK_CHANNEL.lowPriority, target)] };
    case RECEIVER.watchdog:
      return {
        name,
        webhook_configs: [
          target === 'local'
            ? { url: `${SETTINGS.localSinkOrigin}/webhook/watchdog`, send_resolved: false }
            : { url: SETTINGS.watchdogUrl, send_resolved: false, http_config: { authorization: { credentials_file: SETTINGS.secretFiles.watchdogToken } } },
        ],
      };
  }
}

function pagerduty(target: AlertmanagerTarget): Json {
  const secret =
    target === 'local'
      ? { routing_key: SETTINGS.localRoutingKey, url: `${SETTINGS.localSinkOrigin}/pagerduty/v2/enqueue` }
      : { routing_key_file: SETTINGS.secretFiles.pagerdutyRoutingKey };
  return {
    ...secret,
    send_resolved: true,
    description: call(TEMPLATE.pagerdutySummary),
    // Only critical alerts route here; PagerDuty's own severities are critical|error|warning|info.
    severity: '{{ .CommonLabels.severity }}',
    class: '{{ .CommonLabels.alertname }}',
    component: '{{ .CommonLabels.job }}',
    group: 'modelwatch',
    details: {
      alerts: call(TEMPLATE.pagerdutyDetails),
      num_firing: '{{ .Alerts.Firing | len }}',
      num_resolved: '{{ .Alerts.Resolved | len }}',
      runbook_url: '{{ (index .Alerts 0).Annotations.runbook_url }}',
    },
    links: [
      { href: '{{ (index .Alerts 0).Annotations.runbook_url }}', text: 'Runbook' },
      { href: '{{ (index .Alerts 0).Annotations.plugin_url }}', text: 'Modelwatch' },
      { href: '{{ (index .Alerts 0).Annotations.dashboard_url }}', text: 'Dashboard' },
    ],
  };
}

function slack(channel: string, target: AlertmanagerTarget): Json {
  const secret =
    target === 'local'
      ? { api_url: `${SETTINGS.localSinkOrigin}/slack/${channel}` }
      : { api_url_file: channel === SLACK_CHANNEL.alerts ? SETTINGS.secretFiles.slackAlertsWebhook : SETTINGS.secretFiles.slackLowPriorityWebhook };
  return {
    ...secret,
    channel: `#${channel}`,
    send_resolved: true,
    title: call(TEMPLATE.title),
    title_link: '{{ (index .Alerts 0).Annotations.plugin_url }}',
    text: call(TEMPLATE.slackText),
    color: call(TEMPLATE.slackColor),
  };
}

function matchers(labels: Readonly<Record<string, string>>): string[] {
  return Object.entries(labels).map(([name, value]) => `${name}="${value}"`);
}
