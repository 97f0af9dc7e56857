/**
 * Grafana-managed alerting provisioning (file format of
 * provisioning/alerting/*.yaml): the catalogue's rules as Grafana rule groups
 * (Prometheus query A + threshold C), contact points reading their secrets
 * from environment variables, the same notification policy tree, templates
 * and a mute timing.
 */
import { createHash } from 'node:crypto';
import { DATASOURCE_UID, GRAFANA_FOLDER } from '@modelwatch/conventions';
import { annotations } from '../annotations';
import { PRODUCTION } from '../profile';
import { ALERT_GROUPS, prometheusValue, type AlertRule } from '../catalogue/alert-rule';
import { GROUP_BY, QUIET_HOURS, RECEIVER, ROOT_RECEIVER, ROOT_TIMING, ROUTES, type ReceiverName } from '../catalogue/routing';
import { SETTINGS } from '../catalogue/settings';

type Json = Record<string, unknown>;
const ORG_ID = 1;
/** A `${NAME}` reference, which Grafana expands from its environment in provisioning files. */
const env = (name: string) => `\${${name}}`;
/** Grafana's name for the server-side expression datasource. */
export const EXPRESSION_DATASOURCE_UID = '__expr__';
const QUERY_REF = 'A';
const CONDITION_REF = 'C';

/**
 * Grafana's own URL in a rule's annotation template: its root_url (GF_SERVER_ROOT_URL), which Grafana always ends
 * with `/` (pkg/setting/setting.go, parseAppUrlAndSubUrl) and hands rule templates as `externalURL`
 * (pkg/services/ngalert/state/template/template.go). So the links follow GRAFANA_PORT or a proxy's URL instead of
 * a fixed http://localhost:3000.
 */
export const GRAFANA_EXTERNAL_URL = '{{ externalURL }}';

/** Grafana annotations are Go templates too, with the query's value at `$values.A.Value`. */
function grafanaAnnotations(rule: AlertRule): Json {
  return annotations(rule, prometheusValue(rule.value, `$values.${QUERY_REF}.Value`), GRAFANA_EXTERNAL_URL) as unknown as Json;
}

/**
 * Where rules stand paused: `isPaused` is read through Grafana's provisioning value interpolation
 * (pkg/services/provisioning/values/values.go, BoolValue.UnmarshalYAML: `${VAR}` expanded, then strconv.ParseBool),
 * so one generated file serves both notification paths. docker-compose's start script sets it (`true` unless
 * MODELWATCH_NOTIFIER=grafana), so an alert notifies once: through Alertmanager or through Grafana, never both.
 */
export const RULES_PAUSED_ENV = 'MODELWATCH_GRAFANA_RULES_PAUSED';

/** A stable uid per rule: readable prefix plus a hash of what tells the rule apart (Grafana allows 40 characters). */
export function ruleUid(rule: AlertRule): string {
  const identity = JSON.stringify([rule.name, rule.severity, rule.labels ?? {}, ...(rule.key === undefined ? [] : [rule.key])]);
  return `mw-${rule.name.toLowerCase().slice(0, 24)}-${createHash('sha256').update(identity).digest('hex').slice(0, 8)}`;
}

function grafanaRule(rule: AlertRule): Json {
  return {
    uid: ruleUid(rule),
    // Grafana sets the alertname label to the rule's title, over any alertname label of the rule
    // (pkg/services/ngalert/state/state.go, GetRuleExtraLabels), so the title is the alert's name: routes and
    // inhibitions match it as in Alertmanager. Titles need not be unique in a folder since grafana/grafana#102067.
    title: rule.name,
    condition: CONDITION_REF,
    data: [
      {
        refId: QUERY_REF,
        datasourceUid: DATASOURCE_UID.prometheus,
        relativeTimeRange: { from: 600, to: 0 },
        model: { refId: QUERY_REF, expr: rule.query(PRODUCTION), instant: true, range: false },
      },
      {
        refId: CONDITION_REF,
        datasourceUid: EXPRESSION_DATASOURCE_UID,
        relativeTimeRange: { from: 0, to: 0 },
        model: {
          refId: CONDITION_REF,
          type: 'threshold',
          expression: QUERY_REF,
          conditions: [{ evaluator: { type: rule.op === '>' ? 'gt' : 'lt', params: [rule.threshold] } }],
        },
      },
    ],
    // No series means no traffic (or no history yet): nothing to alert on, as in Prometheus.
    noDataState: 'OK',
    execErrState: 'Error',
    for: rule.for,
    annotations: grafanaAnnotations(rule),
    labels: { alertname: rule.name, severity: rule.severity, ...rule.labels },
    isPaused: env(RULES_PAUSED_ENV),
  };
}

export function ruleGroupsFile(rules: readonly AlertRule[]): Json {
  return {
    apiVersion: 1,
    groups: ALERT_GROUPS.map((group) => ({
      orgId: ORG_ID,
      name: `modelwatch-${group}`,
      folder: GRAFANA_FOLDER.title,
      interval: '1m',
      rules: rules.filter((rule) => rule.group === group).map(grafanaRule),
    })).filter((group) => group.rules.length > 0),
  };
}

/** Where Grafana's PagerDuty integration posts (provisioning/compose/grafana/start.sh sets it). */
export const PAGERDUTY_URL_ENV = 'PAGERDUTY_URL';
const slackSettings = (urlVar: string) => ({
  url: env(urlVar),
  title: '{{ template "modelwatch.grafana.title" . }}',
  text: '{{ template "modelwatch.grafana.text" . }}',
});

const CONTACT_POINTS: Record<ReceiverName, Json[]> = {
  [RECEIVER.page]: [
    {
      uid: 'mw-pagerduty',
      type: 'pagerduty',
      disableResolveMessage: false,
      settings: {
        integrationKey: env(SETTINGS.grafanaEnv.pagerdutyRoutingKey),
        // Grafana posts to `url`, PagerDuty's Events API when empty (grafana/alerting, receivers/pagerduty/v1/config.go): without
        // a routing key, docker-compose's start script points it at the notification sink instead of sending alerts to PagerDuty.
        url: env(PAGERDUTY_URL_ENV),
        severity: 'critical',
        class: '{{ .CommonLabels.alertname }}',
        component: '{{ .CommonLabels.job }}',
        group: 'modelwatch',
        summary: '{{ template "modelwatch.grafana.title" . }}',
      },
    },
    { uid: 'mw-slack-page', type: 'slack', disableResolveMessage: false, settings: slackSettings(SETTINGS.grafanaEnv.slackAlertsWebhook) },
  ],
  [RECEIVER.slack]: [{ uid: 'mw-slack-alerts', type: 'slack', disableResolveMessage: false, settings: slackSettings(SETTINGS.grafanaEnv.slackAlertsWebhook) }],
  [RECEIVER.lowPriority]: [{ uid: 'mw-slack-low-priority', type: 'slack', disableResolveMessage: false, settings: slackSettings(SETTINGS.grafanaEnv.slackLowPriorityWebhook) }],
  [RECEIVER.watchdog]: [{ uid: 'mw-watchdog', type: 'webhook', disableResolveMessage: true, settings: { url: env(SETTINGS.grafanaEnv.watchdogUrl), httpMethod: 'POST' } }],
};

export function contactPointsFile(): Json {
  return {
    apiVersion: 1,
    contactPoints: (Object.keys(CONTACT_POINTS) as ReceiverName[]).map((name) => ({ orgId: ORG_ID, name, receivers: CONTACT_POINTS[name] })),
  };
}

export function policiesFile(): Json {
  return {
    apiVersion: 1,
    policies: [
      {
        orgId: ORG_ID,
        receiver: ROOT_RECEIVER,
        group_by: ['grafana_folder', ...GROUP_BY],
        ...ROOT_TIMING.production,
        routes: ROUTES.map((route) => ({
          receiver: route.receiver,
          object_matchers: Object.entries(route.match).map(([name, value]) => [name, '=', value]),
          continue: false,
          ...route.timing,
          ...(route.receiver === QUIET_HOURS.appliesTo ? { mute_time_intervals: [QUIET_HOURS.name] } : {}),
        })),
      },
    ],
  };
}

/** Grafana's notification data differs from Alertmanager's (no `.Annotations` on the group), so it gets its own templates. */
export const GRAFANA_TEMPLATE = `{{ define "modelwatch.grafana.title" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ if .CommonLabels.job }} on {{ .CommonLabels.job }}{{ end }} ({{ .CommonLabels.severity }})
{{- end }}
{{ define "modelwatch.grafana.text" -}}
{{ range .Alerts -}}
*{{ .Annotations.summary }}*
{{ .Annotations.description }}
<{{ .Annotations.runbook_url }}|Runbook> · <{{ .Annotations.plugin_url }}|Modelwatch> · <{{ .Annotations.dashboard_url }}|Dashboard>
{{ end -}}
{{- end }}`;

export function templatesFile(): Json {
  return { apiVersion: 1, templates: [{ orgId: ORG_ID, name: 'modelwatch', template: GRAFANA_TEMPLATE }] };
}

export function muteTimingsFile(): Json {
  return { apiVersion: 1, muteTimes: [{ orgId: ORG_ID, name: QUIET_HOURS.name, time_intervals: QUIET_HOURS.time_intervals }] };
}
