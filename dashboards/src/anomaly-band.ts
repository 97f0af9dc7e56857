/**
 * A signal of the anomaly alerts against its band: the recorded last hour
 * and the band's edges, from the same recording rules and builders the alert
 * reads (conventions' anomaly.ts), so what is drawn is what is judged.
 */
import { ALERT_THRESHOLD, ANOMALY_BASELINE, LABEL, SERVICE_LABEL, anomalyBandQuery, anomalyRecords, selector, type AnomalySignal } from '@modelwatch/conventions';
import { timeSeriesPanel } from './panels';
import { promQuery } from './query';
import { VARIABLE } from './variables';

/** The recorded series carry the service and the model, not the instance. */
const SERVICE_MATCHER = `${SERVICE_LABEL}=~"$${VARIABLE.job}"`;

export interface AnomalyBandOptions {
  readonly title: string;
  /** What the series is; the band's explanation follows. */
  readonly description: string;
  readonly unit: string;
  /** Legend of one series (`{{job}}`, the model's labels). */
  readonly legend: string;
  /** A signal per model: filtered by the model variable too. */
  readonly perModel?: boolean;
}

export function anomalyBandPanel(signal: AnomalySignal, options: AnomalyBandOptions) {
  const matchers = [SERVICE_MATCHER, ...(options.perModel ? [`${LABEL.genAiRequestModel}=~"$${VARIABLE.model}"`] : [])];
  const k = ALERT_THRESHOLD.anomalyStddevs.warning;
  return timeSeriesPanel({
    title: options.title,
    description: `${options.description} Over the last hour, between its band: the same hour on each of the last ${ANOMALY_BASELINE.days} days, their mean ± ${k} standard deviations, and never narrower than ±${signal.minChange}. Outside it for 30 minutes, an anomaly alert opens a ticket. No band in a series' first week.`,
    queries: [
      promQuery(selector(anomalyRecords(signal).value, {}, matchers), { legend: options.legend }),
      promQuery(anomalyBandQuery(signal, 'upper', matchers), { legend: `band top ${options.legend}` }),
      promQuery(anomalyBandQuery(signal, 'lower', matchers), { legend: `band bottom ${options.legend}` }),
    ],
    unit: options.unit,
  });
}
