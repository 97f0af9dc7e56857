/**
 * The notification payloads Alertmanager 0.25 (and Grafana's webhook) sends, and the checks the sink
 * runs on them: what PagerDuty's Events API v2 and a Slack incoming webhook
 * would reject (or silently mangle), plus Alertmanager's own shape, as captured
 * in shared/ALERTMANAGER-PAYLOADS.md. Each check returns the list of problems,
 * empty when the payload is valid, so a test failure names every one.
 */

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** PagerDuty Events API v2 event (`POST /v2/enqueue`). */
export interface PagerDutyEvent {
  routing_key: string;
  dedup_key?: string;
  event_action: 'trigger' | 'acknowledge' | 'resolve';
  payload?: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp?: string;
    class?: string;
    component?: string;
    group?: string;
    custom_details?: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  images?: { src: string; href?: string; alt?: string }[];
  links?: { href: string; text?: string }[];
}

export interface SlackAttachment {
  title?: string;
  title_link?: string;
  pretext?: string;
  text: string;
  fallback: string;
  callback_id?: string;
  fields?: { title: string; value: string; short?: boolean }[];
  actions?: unknown[];
  image_url?: string;
  thumb_url?: string;
  footer?: string;
  color?: string;
  mrkdwn_in?: string[];
}

/** A Slack incoming-webhook message as Alertmanager's slack_configs send it. */
export interface SlackMessage {
  channel?: string;
  username?: string;
  icon_emoji?: string;
  icon_url?: string;
  link_names?: boolean;
  attachments: SlackAttachment[];
}

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook_configs message, version 4. */
export interface AlertmanagerWebhookMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  receiver: string;
  status: 'firing' | 'resolved';
  alerts: WebhookAlert[];
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
}

/** An alert of Grafana's webhook message: Alertmanager's fields plus Grafana's links and query values. */
export interface GrafanaWebhookAlert extends WebhookAlert {
  silenceURL: string;
  dashboardURL: string;
  panelURL: string;
  /** Query values by refId; null when the alert has none. */
  values: Record<string, number> | null;
  valueString?: string;
}

/**
 * Grafana-managed alerting's webhook contact point message, version 1
 * (grafana/alerting receivers/webhook/v1/webhook.go, webhookMessage: the
 * notification data of templates/template_data.go ExtendedData, plus orgId,
 * title, state `alerting`/`ok` and message).
 */
export interface GrafanaWebhookMessage extends Omit<AlertmanagerWebhookMessage, 'version' | 'alerts'> {
  version: '1';
  orgId: number;
  title: string;
  state: 'alerting' | 'ok';
  message: string;
  alerts: GrafanaWebhookAlert[];
}

/** A webhook message as Alertmanager (version 4) or Grafana (version 1) sends it. */
export type WebhookMessage = AlertmanagerWebhookMessage | GrafanaWebhookMessage;

const PAGERDUTY_SEVERITIES: readonly string[] = ['critical', 'error', 'warning', 'info'];
const PAGERDUTY_ACTIONS: readonly string[] = ['trigger', 'acknowledge', 'resolve'];
/** Events API v2 limits: summary 1024 characters, dedup_key 255. */
const SUMMARY_MAX = 1024;
const DEDUP_KEY_MAX = 255;
/** Slack renders these names or any #rrggbb; anything else is dropped without a word. */
const SLACK_COLOR = /^(good|warning|danger|#[0-9a-fA-F]{6})$/;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNonEmpty = (value: unknown): value is string => isString(value) && value.trim() !== '';
const isStringMap = (value: unknown): boolean => isObject(value) && Object.values(value).every(isString);
const isTime = (value: unknown): boolean => isString(value) && !Number.isNaN(Date.parse(value));

/** Problems a PagerDuty Events API v2 endpoint would have with `body`. */
export function checkPagerDutyEvent(body: unknown): string[] {
  if (!isObject(body)) return ['body is not a JSON object'];
  const errors: string[] = [];
  if (!isNonEmpty(body.routing_key)) errors.push('routing_key must be a non-empty string');
  if (!isString(body.event_action) || !PAGERDUTY_ACTIONS.includes(body.event_action)) errors.push(`event_action must be one of ${PAGERDUTY_ACTIONS.join('|')}, got ${JSON.stringify(body.event_action)}`);
  if (body.dedup_key !== undefined && (!isNonEmpty(body.dedup_key) || body.dedup_key.length > DEDUP_KEY_MAX)) errors.push(`dedup_key must be a non-empty string of at most ${DEDUP_KEY_MAX} characters`);
  if (body.dedup_key === undefined && body.event_action !== 'trigger') errors.push(`dedup_key is required for ${String(body.event_action)}`);
  if (body.payload === undefined) {
    if (body.event_action === 'trigger') errors.push('payload is required for trigger');
  } else if (!isObject(body.payload)) {
    errors.push('payload must be an object');
  } else {
    const payload = body.payload;
    if (!isNonEmpty(payload.summary)) errors.push('payload.summary must be a non-empty string');
    else if ([...payload.summary].length > SUMMARY_MAX) errors.push(`payload.summary is longer than ${SUMMARY_MAX} characters`);
    if (!isNonEmpty(payload.source)) errors.push('payload.source must be a non-empty string');
    if (!isString(payload.severity) || !PAGERDUTY_SEVERITIES.includes(payload.severity)) errors.push(`payload.severity must be one of ${PAGERDUTY_SEVERITIES.join('|')}, got ${JSON.stringify(payload.severity)}`);
    if (payload.timestamp !== undefined && !isTime(payload.timestamp)) errors.push('payload.timestamp must be an ISO 8601 time');
    for (const key of ['class', 'component', 'group'] as const) if (payload[key] !== undefined && !isString(payload[key])) errors.push(`payload.${key} must be a string`);
    if (payload.custom_details !== undefined && !isObject(payload.custom_details)) errors.push('payload.custom_details must be an object');
  }
  for (const key of ['client', 'client_url'] as const) if (body[key] !== undefined && !isString(body[key])) errors.push(`${key} must be a string`);
  if (body.images !== undefined && (!Array.isArray(body.images) || !body.images.every((image) => isObject(image) && isNonEmpty(image.src)))) errors.push('images must be objects with a src');
  if (body.links !== undefined && (!Array.isArray(body.links) || !body.links.every((link) => isObject(link) && isNonEmpty(link.href)))) errors.push('links must be objects with an href');
  return errors;
}

/** Problems with `body` as a Slack message from Alertmanager (one attachment with title, text, color). */
export function checkSlackMessage(body: unknown): string[] {
  if (!isObject(body)) return ['body is not a JSON object'];
  const errors: string[] = [];
  for (const key of ['channel', 'username', 'icon_emoji', 'icon_url'] as const) if (body[key] !== undefined && !isString(body[key])) errors.push(`${key} must be a string`);
  if (!Array.isArray(body.attachments) || body.attachments.length === 0) return [...errors, 'attachments must be a non-empty array'];
  body.attachments.forEach((attachment: unknown, i) => {
    const at = `attachments[${i}]`;
    if (!isObject(attachment)) {
      errors.push(`${at} must be an object`);
      return;
    }
    if (!isNonEmpty(attachment.title)) errors.push(`${at}.title must be a non-empty string`);
    if (!isString(attachment.text)) errors.push(`${at}.text must be a string`);
    if (!isString(attachment.fallback)) errors.push(`${at}.fallback must be a string`);
    if (attachment.color !== undefined && (!isString(attachment.color) || !SLACK_COLOR.test(attachment.color))) errors.push(`${at}.color must be good, warning, danger or #rrggbb, got ${JSON.stringify(attachment.color)}`);
    if (attachment.mrkdwn_in !== undefined && (!Array.isArray(attachment.mrkdwn_in) || !attachment.mrkdwn_in.every(isString))) errors.push(`${at}.mrkdwn_in must be an array of strings`);
    if (attachment.fields !== undefined && (!Array.isArray(attachment.fields) || !attachment.fields.every((f) => isObject(f) && isString(f.title) && isString(f.value)))) errors.push(`${at}.fields must be objects with title and value strings`);
    for (const key of ['title_link', 'pretext', 'callback_id', 'footer', 'image_url', 'thumb_url'] as const) if (attachment[key] !== undefined && !isString(attachment[key])) errors.push(`${at}.${key} must be a string`);
  });
  return errors;
}

/**
 * Problems with `body` as a webhook message: Alertmanager's (version 4) or
 * Grafana-managed alerting's (version 1, the same fields plus its own).
 */
export function checkWebhookMessage(body: unknown): string[] {
  if (!isObject(body)) return ['body is not a JSON object'];
  const errors: string[] = [];
  const grafana = body.version === '1';
  if (body.version !== '4' && !grafana) errors.push(`version must be "4" (Alertmanager) or "1" (Grafana), got ${JSON.stringify(body.version)}`);
  if (grafana) {
    if (typeof body.orgId !== 'number') errors.push('orgId must be a number');
    if (!isString(body.title)) errors.push('title must be a string');
    if (body.state !== 'alerting' && body.state !== 'ok') errors.push(`state must be alerting|ok, got ${JSON.stringify(body.state)}`);
    if (!isString(body.message)) errors.push('message must be a string');
  }
  if (!isString(body.groupKey)) errors.push('groupKey must be a string');
  if (!isNonEmpty(body.receiver)) errors.push('receiver must be a non-empty string');
  if (body.status !== 'firing' && body.status !== 'resolved') errors.push(`status must be firing|resolved, got ${JSON.stringify(body.status)}`);
  if (typeof body.truncatedAlerts !== 'number') errors.push('truncatedAlerts must be a number');
  if (!isString(body.externalURL)) errors.push('externalURL must be a string');
  for (const key of ['groupLabels', 'commonLabels', 'commonAnnotations'] as const) if (!isStringMap(body[key])) errors.push(`${key} must be an object of strings`);
  if (!Array.isArray(body.alerts) || body.alerts.length === 0) return [...errors, 'alerts must be a non-empty array'];
  body.alerts.forEach((alert: unknown, i) => {
    const at = `alerts[${i}]`;
    if (!isObject(alert)) {
      errors.push(`${at} must be an object`);
      return;
    }
    if (alert.status !== 'firing' && alert.status !== 'resolved') errors.push(`${at}.status must be firing|resolved`);
    if (!isStringMap(alert.labels)) errors.push(`${at}.labels must be an object of strings`);
    if (!isStringMap(alert.annotations)) errors.push(`${at}.annotations must be an object of strings`);
    if (!isTime(alert.startsAt)) errors.push(`${at}.startsAt must be a time`);
    if (!isTime(alert.endsAt)) errors.push(`${at}.endsAt must be a time`);
    if (!isNonEmpty(alert.fingerprint)) errors.push(`${at}.fingerprint must be a non-empty string`);
    if (!isString(alert.generatorURL)) errors.push(`${at}.generatorURL must be a string`);
    if (grafana) {
      for (const key of ['silenceURL', 'dashboardURL', 'panelURL'] as const) if (!isString(alert[key])) errors.push(`${at}.${key} must be a string`);
      if (alert.values !== null && !(isObject(alert.values) && Object.values(alert.values).every((v) => typeof v === 'number'))) errors.push(`${at}.values must be null or an object of numbers`);
    }
  });
  return errors;
}
