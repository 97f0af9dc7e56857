import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The README shows the example files verbatim; this keeps them from drifting apart.
const examplesDir = fileURLToPath(new URL('.', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const shown = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)\n```/g)].map(([, file, code]) => ({ file: file!, code: code! }));

describe('exporter README', () => {
  it('shows every example file', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(shown.map((s) => s.file).sort()).toEqual(files.sort());
  });

  it.each(shown)('shows $file exactly as the tested file', ({ file, code }) => {
    expect(code).toBe(readFileSync(`${examplesDir}/${file}`, 'utf8').trimEnd());
  });
});
