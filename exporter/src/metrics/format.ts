/** The two exposition formats Prometheus scrapes. */
export type ExpositionFormat = 'text' | 'openmetrics';

export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/**
 * Picks the format from an Accept header: OpenMetrics when the client lists it
 * with a non-zero q (Prometheus does when exemplar storage or native scraping
 * asks for it), else the classic text format.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (!accept || !accept.includes('application/openmetrics-text')) return 'text';
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().split(';');
    if (type?.trim() !== 'application/openmetrics-text') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0 ? 'openmetrics' : 'text';
  }
  return 'text';
}
