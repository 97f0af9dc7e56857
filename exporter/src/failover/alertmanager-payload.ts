/**
 * Alertmanager's webhook payload (version 4), checked field by field: a payload
 * that is not one is refused whole (400), so nothing of it is half applied.
 */

export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Readonly<Record<string, string>>;
  /** ms since the epoch. */
  startsAt: number;
  fingerprint: string;
}

export type ParsedPayload = { ok: true; alerts: WebhookAlert[] } | { ok: false; error: string };

/** More than Alertmanager sends in one notification by default (it has no limit, `max_alerts` sets one). */
const MAX_ALERTS = 1000;

export function parseAlertmanagerPayload(body: unknown): ParsedPayload {
  if (!isRecord(body)) return { ok: false, error: 'the body is not a JSON object' };
  if (body.version !== '4') return { ok: false, error: 'version must be "4" (Alertmanager webhook payload)' };
  if (!Array.isArray(body.alerts)) return { ok: false, error: 'alerts must be an array' };
  if (body.alerts.length > MAX_ALERTS) return { ok: false, error: `more than ${MAX_ALERTS} alerts` };
  const alerts: WebhookAlert[] = [];
  for (const [index, raw] of body.alerts.entries()) {
    const alert = parseAlert(raw);
    if (typeof alert === 'string') return { ok: false, error: `alerts[${index}]: ${alert}` };
    alerts.push(alert);
  }
  return { ok: true, alerts };
}

function parseAlert(raw: unknown): WebhookAlert | string {
  if (!isRecord(raw)) return 'not an object';
  if (raw.status !== 'firing' && raw.status !== 'resolved') return 'status must be "firing" or "resolved"';
  if (!isRecord(raw.labels) || !Object.values(raw.labels).every((value) => typeof value === 'string')) return 'labels must map names to strings';
  const startsAt = typeof raw.startsAt === 'string' ? Date.parse(raw.startsAt) : NaN;
  if (!Number.isFinite(startsAt)) return 'startsAt must be a date';
  if (typeof raw.fingerprint !== 'string' || raw.fingerprint === '' || raw.fingerprint.length > 64) return 'fingerprint must be a non-empty string';
  return { status: raw.status, labels: raw.labels as Record<string, string>, startsAt, fingerprint: raw.fingerprint };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
