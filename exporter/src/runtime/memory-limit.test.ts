import { mkdtempSync, writeFileSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMemoryLimit } from './memory-limit';

const dir = mkdtempSync(join(tmpdir(), 'memory-limit-'));
function limitFile(name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

describe('detectMemoryLimit', () => {
  it('prefers the configured limit', () => {
    expect(detectMemoryLimit(512 * 2 ** 20, [limitFile('v2', '1073741824\n')])).toEqual({ bytes: 512 * 2 ** 20, source: 'configured' });
  });

  it('reads a cgroup v2 memory.max', () => {
    expect(detectMemoryLimit(undefined, [limitFile('v2-set', '1073741824\n')])).toEqual({ bytes: 1073741824, source: 'cgroup' });
  });

  it('treats cgroup v2 "max" as no limit and falls through to cgroup v1', () => {
    const files = [limitFile('v2-max', 'max\n'), limitFile('v1', '268435456\n')];
    expect(detectMemoryLimit(undefined, files)).toEqual({ bytes: 268435456, source: 'cgroup' });
  });

  it("treats cgroup v1's page-rounded 2^63 as no limit and falls back to system memory", () => {
    expect(detectMemoryLimit(undefined, [limitFile('v1-unlimited', '9223372036854771712\n')])).toEqual({ bytes: totalmem(), source: 'system' });
  });

  it('falls back to system memory when no cgroup file exists', () => {
    expect(detectMemoryLimit(undefined, [join(dir, 'missing')])).toEqual({ bytes: totalmem(), source: 'system' });
  });
});
