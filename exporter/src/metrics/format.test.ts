import { describe, expect, it } from 'vitest';
import { negotiateFormat } from './format';

describe('negotiateFormat', () => {
  it.each([
    ['no Accept header', undefined, 'text'],
    ['a browser', 'text/html,application/xhtml+xml,*/*;q=0.8', 'text'],
    ['the classic text format', 'text/plain;version=0.0.4', 'text'],
    [
      "Prometheus 2.x's scrape header",
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['OpenMetrics refused with q=0', 'application/openmetrics-text;q=0,text/plain', 'text'],
  ] as const)('%s → %s', (_, accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
