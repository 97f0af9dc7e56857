import { performance } from 'node:perf_hooks';
import type { ExpositionFormat } from '../metrics/format';
import { escapeHelp, formatLabelPairs, formatNumber, sanitizeLabelValue } from '../metrics/label-values';
import type { MetricSnapshot, SnapshotExemplar } from './snapshot';

/** How many samples are written between two looks at the clock. */
const SAMPLES_PER_CLOCK_CHECK = 256;
const SLICE_MS = 8;

/**
 * Writes merged snapshots in either format, yielding to the event loop between
 * time slices: the cluster primary also hands incoming connections to the
 * workers, and must not stall while it serialises a large scrape. Escaping
 * comes from the same helpers as the single-process exposition.
 */
export async function* formatSnapshots(families: readonly MetricSnapshot[], format: ExpositionFormat): AsyncGenerator<string> {
  let buffer = '';
  let written = 0;
  let sliceStart = performance.now();
  for (const family of families) {
    if (family.values.length === 0) continue;
    const type = String(family.type);
    const familyName = format === 'openmetrics' && type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
    buffer += `# HELP ${familyName} ${escapeHelp(family.help)}\n# TYPE ${familyName} ${type}\n`;
    for (const value of family.values) {
      const sampleName = value.metricName || family.name;
      const names = Object.keys(value.labels);
      const pairs = formatLabelPairs(
        names,
        names.map((name) => sanitizeLabelValue(value.labels[name])),
      );
      buffer += `${sampleName}${pairs === '' ? '' : `{${pairs}}`} ${formatNumber(value.value)}`;
      // OpenMetrics allows exemplars on counter totals and histogram buckets only.
      const exemplarAllowed = type === 'counter' || sampleName.endsWith('_bucket');
      buffer += format === 'openmetrics' && exemplarAllowed && value.exemplar ? `${formatSnapshotExemplar(value.exemplar)}\n` : '\n';
      if (++written % SAMPLES_PER_CLOCK_CHECK === 0 && performance.now() - sliceStart >= SLICE_MS) {
        yield buffer;
        buffer = '';
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }
  if (format === 'openmetrics') buffer += '# EOF\n';
  yield buffer;
}

function formatSnapshotExemplar(exemplar: SnapshotExemplar): string {
  const names = Object.keys(exemplar.labelSet);
  const pairs = formatLabelPairs(
    names,
    names.map((name) => sanitizeLabelValue(exemplar.labelSet[name])),
  );
  return ` # {${pairs}} ${formatNumber(exemplar.value)} ${exemplar.timestamp.toFixed(3)}`;
}
