import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, generatedFiles } from './generated-files';

describe('committed generated files', () => {
  it.each(generatedFiles().map((file) => [file.path, file.content]))('%s equals what the generator writes (run `npm run dashboards`)', (path, content) => {
    expect(readFileSync(join(REPO_ROOT, path), 'utf8')).toBe(content);
  });
});
