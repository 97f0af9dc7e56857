/**
 * Exemplars link to their trace the way Grafana's Prometheus data source
 * links them when an exemplar trace-id destination names a Tempo data source
 * (an internal link whose query is the trace id, `${__value.raw}`): here the
 * Tempo data source comes from the app's settings.
 */
import type { DataFrame, DataLink } from '@grafana/data';

/** The exemplar label holding the trace id (`formatExemplar` in the exporter). */
export const TRACE_ID_FIELD = 'trace_id';

export function traceLink(tempoUid: string): DataLink {
  return { title: 'View trace', url: '', internal: { datasourceUid: tempoUid, datasourceName: 'Tempo', query: { query: '${__value.raw}', queryType: 'traceql' } } };
}

/** The frames with a trace link on their trace id field, when a Tempo data source is set. */
export function withTraceLinks(frames: readonly DataFrame[], tempoUid: string | undefined): DataFrame[] {
  if (!tempoUid) return [...frames];
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => (field.name === TRACE_ID_FIELD ? { ...field, config: { ...field.config, links: [traceLink(tempoUid)] } } : field)),
  }));
}
