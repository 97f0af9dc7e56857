import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';

/** cgroup files holding the memory limit, v2 first. "max" or a near-2^63 value means no limit. */
const CGROUP_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];
/** cgroup v1 reports "no limit" as a page-rounded 2^63; anything this large is no limit. */
const UNLIMITED_THRESHOLD = 2 ** 60;

export interface MemoryLimit {
  bytes: number;
  source: 'configured' | 'cgroup' | 'system';
}

/**
 * Memory the process may use, so saturation can be a ratio: the configured
 * limit when given (the operator knows best, e.g. a PM2 max_memory_restart),
 * else the container's cgroup limit, else total system memory. A configured
 * limit was checked where the options came in.
 */
export function detectMemoryLimit(configuredBytes?: number, files: readonly string[] = CGROUP_LIMIT_FILES): MemoryLimit {
  if (configuredBytes !== undefined) return { bytes: configuredBytes, source: 'configured' };
  for (const file of files) {
    const bytes = readLimit(file);
    if (bytes !== undefined) return { bytes, source: 'cgroup' };
  }
  return { bytes: totalmem(), source: 'system' };
}

function readLimit(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  const bytes = Number(text);
  return Number.isFinite(bytes) && bytes > 0 && bytes < UNLIMITED_THRESHOLD ? bytes : undefined;
}
