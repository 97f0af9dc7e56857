import { describe, expect, it } from 'vitest';
import { substituteVariables } from './inspect';

describe('substituteVariables', () => {
  it.each([
    ['bare', 'up{job=~"$job"}', 'up{job=~".*"}'],
    ['braced', 'up{job=~"${job}"}', 'up{job=~".*"}'],
    ['bracketed', 'up{job=~"[[job]]"}', 'up{job=~".*"}'],
    ['range and PromQL group refs', 'label_replace(rate(x[$__rate_interval]), "c", "${1}xx", "s", "(.)")', 'label_replace(rate(x[1m]), "c", "${1}xx", "s", "(.)")'],
  ])('replaces %s variables', (_, expr, expected) => {
    expect(substituteVariables(expr, { job: '.*', __rate_interval: '1m' })).toBe(expected);
  });

  it('throws on an unknown variable, naming it', () => {
    expect(() => substituteVariables('up{job=~"$jbo"}', { job: '.*' })).toThrow('unknown dashboard variable $jbo');
  });
});
