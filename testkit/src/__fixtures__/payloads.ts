/**
 * Payloads as Alertmanager 0.25 sent them on loopback (shared/ALERTMANAGER-PAYLOADS.md).
 */
export const PAGERDUTY_TRIGGER = {
  routing_key: '0123456789abcdef0123456789abcdef',
  dedup_key: '62030f51766ae9597a6b54a7c8826d18728665c37c5a3eea90d6241eedb7db0b',
  event_action: 'trigger',
  payload: {
    summary: '[FIRING:1] DiskFull (db1:9100 node critical)',
    source: 'Alertmanager',
    severity: 'error',
    custom_details: { firing: 'Labels:\n - alertname = DiskFull\n', num_firing: '1', num_resolved: '0', resolved: '' },
  },
  client: 'Alertmanager',
  client_url: 'http://127.0.0.1:19093/#/alerts?receiver=pagerduty',
};

export const SLACK_FIRING = {
  channel: '#alerts',
  username: 'Alertmanager',
  attachments: [
    {
      title: '[FIRING:1] DiskFull (db1:9100 node critical)',
      title_link: 'http://127.0.0.1:19093/#/alerts?receiver=slack-default',
      text: '',
      fallback: '[FIRING:1] DiskFull (db1:9100 node critical) | http://127.0.0.1:19093/#/alerts?receiver=slack-default',
      callback_id: '',
      footer: '',
      color: 'danger',
      mrkdwn_in: ['fallback', 'pretext', 'text'],
    },
  ],
};

const LABELS = { alertname: 'DiskFull', instance: 'db1:9100', job: 'node', severity: 'critical' };
const ANNOTATIONS = { description: '95% used', summary: 'Disk almost full on db1' };
export const WEBHOOK_RESOLVED = {
  receiver: 'webhook',
  status: 'resolved',
  alerts: [
    {
      status: 'resolved',
      labels: LABELS,
      annotations: ANNOTATIONS,
      startsAt: '2026-11-23T08:53:15.846914173Z',
      endsAt: '2026-11-23T08:53:26.513202Z',
      generatorURL: 'http://prom.example:9090/graph?g0.expr=disk_used',
      fingerprint: '1751650d45bf7d6b',
    },
  ],
  groupLabels: { alertname: 'DiskFull' },
  commonLabels: LABELS,
  commonAnnotations: ANNOTATIONS,
  externalURL: 'http://127.0.0.1:19093',
  version: '4',
  groupKey: '{}/{}:{alertname="DiskFull"}',
  truncatedAlerts: 0,
};

/**
 * The watchdog as Grafana-managed alerting's webhook contact point sends it:
 * version 1 (grafana/alerting receivers/webhook/v1/webhook.go, webhookMessage),
 * the notification data (templates/template_data.go, ExtendedData and
 * ExtendedAlert) plus orgId, title, state and message.
 */
export const GRAFANA_WEBHOOK_FIRING = {
  receiver: 'watchdog',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'Watchdog', severity: 'none', grafana_folder: 'Modelwatch' },
      annotations: { summary: 'The alerting pipeline is alive' },
      startsAt: '2026-11-23T08:53:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://localhost:3000/alerting/grafana/mw-watchdog-0a1b2c3d/view?orgId=1',
      fingerprint: '9c4e1f0a2b3d5e6f',
      silenceURL: 'http://localhost:3000/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DWatchdog&orgId=1',
      dashboardURL: '',
      panelURL: '',
      values: { A: 1, C: 1 },
      valueString: "[ var='A' labels={} value=1 ], [ var='C' labels={} value=1 ]",
      orgId: 1,
    },
  ],
  groupLabels: { alertname: 'Watchdog', grafana_folder: 'Modelwatch' },
  commonLabels: { alertname: 'Watchdog', severity: 'none', grafana_folder: 'Modelwatch' },
  commonAnnotations: { summary: 'The alerting pipeline is alive' },
  externalURL: 'http://localhost:3000/',
  version: '1',
  groupKey: '{}/{alertname="Watchdog"}:{alertname="Watchdog", grafana_folder="Modelwatch"}',
  truncatedAlerts: 0,
  orgId: 1,
  title: '[FIRING:1] Watchdog Modelwatch (none)',
  state: 'alerting',
  message: '**Firing**\n\nValue: A=1, C=1\nLabels:\n - alertname = Watchdog\n',
};

/** A page as Grafana's Slack contact point posts it to an incoming webhook (grafana/alerting receivers/slack/v1/slack.go, slackMessage). */
export const GRAFANA_SLACK_FIRING = {
  username: 'Grafana',
  attachments: [
    {
      title: '[FIRING:1] AvailabilityErrorBudgetBurn on demo (critical)',
      title_link: 'http://localhost:3000/alerting/list',
      text: '*demo: objective "availability" is burning its error budget*',
      fallback: '[FIRING:1] AvailabilityErrorBudgetBurn on demo (critical)',
      footer: 'Grafana v13.1.0',
      footer_icon: 'https://grafana.com/static/assets/img/fav32.png',
      color: '#D63232',
      ts: 1795942380,
    },
  ],
};

/** The same page as Grafana's PagerDuty contact point sends it (grafana/alerting receivers/pagerduty/v1/pagerduty.go, pagerDutyMessage). */
export const GRAFANA_PAGERDUTY_TRIGGER = {
  routing_key: 'modelwatchlocalsink0000000000000',
  dedup_key: '5b1c0ac1e2f8d7a9b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6',
  event_action: 'trigger',
  payload: {
    summary: '[FIRING:1] AvailabilityErrorBudgetBurn on demo (critical)',
    source: 'grafana',
    severity: 'critical',
    class: 'AvailabilityErrorBudgetBurn',
    component: 'demo',
    group: 'modelwatch',
    custom_details: { firing: 'Labels:\n - alertname = AvailabilityErrorBudgetBurn\n', num_firing: '1', num_resolved: '0', resolved: '' },
  },
  client: 'Grafana',
  client_url: 'http://localhost:3000/',
  links: [{ href: 'http://localhost:3000/', text: 'External URL' }],
};
