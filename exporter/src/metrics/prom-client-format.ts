import type { MetricObjectWithValues, MetricValue, MetricValueWithName } from 'prom-client';
import { escapeHelp, formatLabelPairs, formatNumber, sanitizeLabelValue } from './label-values';
import type { ExpositionFormat } from './format';

type PromClientMetric = MetricObjectWithValues<MetricValue<string> | MetricValueWithName<string>>;

/**
 * Writes prom-client's metric objects (the default process and Node.js
 * collectors) in either format, so escaping and the OpenMetrics rules live in
 * this package alone and one scrape carries both sets.
 */
export function formatPromClientMetrics(metrics: readonly PromClientMetric[], format: ExpositionFormat): string {
  let out = '';
  for (const metric of metrics) {
    const type = String(metric.type);
    const family = format === 'openmetrics' && type === 'counter' ? metric.name.replace(/_total$/, '') : metric.name;
    out += `# HELP ${family} ${escapeHelp(metric.help)}\n# TYPE ${family} ${type}\n`;
    for (const value of metric.values) {
      const sampleName = 'metricName' in value && value.metricName ? value.metricName : metric.name;
      const labels = value.labels ?? {};
      const names = Object.keys(labels);
      const pairs = formatLabelPairs(
        names,
        names.map((n) => sanitizeLabelValue(labels[n])),
      );
      out += `${sampleName}${pairs === '' ? '' : `{${pairs}}`} ${formatNumber(value.value)}\n`;
    }
  }
  return out;
}
