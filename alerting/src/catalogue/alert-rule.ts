/**
 * The shape of one alert rule in the spec. Each rule is a measured value
 * (`query`, one sample per alerting series) compared with a threshold, so the
 * same rule becomes a Prometheus `expr` (`query > threshold`) and a Grafana
 * rule (query A + threshold expression C).
 */
import type { AlertName, AlertSeverity, AppPage, DASHBOARD_UID, WATCHDOG_SEVERITY } from '@modelwatch/conventions';
import type { TimingProfile } from '../profile';

export type ValueFormat = 'percent' | 'seconds' | 'number' | 'usd' | 'times';

/** Marks where a description shows the measured value; each output writes it in its own template language. */
export const VALUE = '{{VALUE}}';

export interface AlertRule {
  readonly name: AlertName;
  readonly severity: AlertSeverity | typeof WATCHDOG_SEVERITY;
  /** Prometheus rule group (and Grafana rule group) the rule belongs to. */
  readonly group: AlertGroup;
  /** The measured value per alerting series; rate windows come from the profile. */
  query(timing: TimingProfile): string;
  readonly op: '>' | '<';
  readonly threshold: number;
  /** How long the condition must hold (production; the fast profile shortens it). */
  readonly for: string;
  /** Extra constant labels (beyond severity) telling rules of one alert name apart. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Tells rules of one alert name apart where their labels do not: the service and objective (Grafana rule uids and titles). */
  readonly key?: string;
  /** One line; may use `{{ $labels.x }}`. */
  readonly summary: string;
  /** Sentences with the measured value at {@link VALUE}; may use `{{ $labels.x }}`. */
  readonly description: string;
  readonly value: ValueFormat;
  /** App plugin page and dashboard the notification links to. */
  readonly page: AppPage;
  readonly dashboard: keyof typeof DASHBOARD_UID;
}

export type AlertGroup = 'slo' | 'ai' | 'spend' | 'resources' | 'meta';
export const ALERT_GROUPS: readonly AlertGroup[] = ['slo', 'ai', 'spend', 'resources', 'meta'];

/** Prometheus template text showing `$value` in a format (`humanizePercentage` and friends). */
export function prometheusValue(format: ValueFormat, value = '$value'): string {
  switch (format) {
    case 'percent':
      return `{{ ${value} | humanizePercentage }}`;
    case 'seconds':
      return `{{ ${value} | humanizeDuration }}`;
    case 'number':
      return `{{ ${value} | printf "%.1f" }}`;
    case 'usd':
      return `\${{ ${value} | printf "%.2f" }}`;
    case 'times':
      return `{{ ${value} | printf "%.1f" }}×`;
  }
}

/** A ratio as people write it in prose: 0.001 → "0.1%" (no floating-point tails). */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}
