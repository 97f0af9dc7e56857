import { describe, expect, it } from 'vitest';
import { ignoredPathMatcher } from './options';

describe('ignoredPathMatcher', () => {
  const manyPaths = ['/metrics', '/healthz', '/readyz', '/livez', '/favicon.ico', '/robots.txt', '/status', '/ping', '/version'];

  // A few paths are compared one by one, more are looked up in a Set: both must agree.
  describe.each([
    ['the default', undefined],
    ['a few paths', ['/metrics', '/healthz']],
    [`${manyPaths.length} paths`, manyPaths],
  ])('with %s', (_, ignorePaths) => {
    const isIgnored = ignoredPathMatcher({ ignorePaths });

    it.each(['/metrics', '/metrics?name[]=up', '/metrics?'])('ignores %s', (url) => {
      expect(isIgnored(url)).toBe(true);
    });

    it.each(['/', '/metricsx', '/metrics/x', '/metric', '/api/metrics', '/Metrics', ''])('records %j', (url) => {
      expect(isIgnored(url)).toBe(false);
    });

    it('records a request without a URL', () => {
      expect(isIgnored(undefined)).toBe(false);
    });
  });

  it('compares the whole path of each listed one, not only the first', () => {
    const isIgnored = ignoredPathMatcher({ ignorePaths: ['/metrics', '/healthz'] });
    expect(isIgnored('/healthz?verbose=1')).toBe(true);
    expect(isIgnored('/health')).toBe(false);
  });

  it('ignores nothing with an empty list', () => {
    expect(ignoredPathMatcher({ ignorePaths: [] })('/metrics')).toBe(false);
  });
});
