import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRICS } from '@modelwatch/conventions';

// The README's metric reference is what users read to write their queries: it must name the real labels.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const section = readme.slice(readme.indexOf('## Metric reference'), readme.indexOf('## Runtime metrics'));
const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\w+) \|([^|]*)\|/gm)].map(([, name, type, labels]) => ({
  name: name!,
  type: type!,
  labels: [...labels!.matchAll(/`([a-z_]+)`/g)].map(([, label]) => label!),
}));

describe('README metric reference', () => {
  it('lists every metric of the conventions with its type and labels, in order', () => {
    expect(rows).toEqual(Object.values(METRICS).map((m) => ({ name: m.name, type: m.type, labels: [...m.labels] })));
  });
});
