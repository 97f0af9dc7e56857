import type { WebhookAlert } from './alertmanager-payload';

/** Alerts remembered for replay detection; the oldest go first (an alert that old is not replayed any more). */
const MAX_REMEMBERED = 10_000;

/**
 * What the receiver already applied, by alert fingerprint and start: Alertmanager
 * repeats a firing alert in every notification of its group, and a replayed or
 * late notification must not undo a newer one (a firing after its own resolve).
 */
export class AlertLedger {
  private readonly seen = new Map<string, { startsAt: number; resolved: boolean }>();

  /** True when the alert is news (and remembers it); false for a repeat or an older notification. */
  admit(alert: WebhookAlert): boolean {
    const last = this.seen.get(alert.fingerprint);
    const resolved = alert.status === 'resolved';
    if (last && (last.startsAt > alert.startsAt || (last.startsAt === alert.startsAt && (last.resolved || !resolved)))) return false;
    this.seen.delete(alert.fingerprint);
    this.seen.set(alert.fingerprint, { startsAt: alert.startsAt, resolved });
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }
}
