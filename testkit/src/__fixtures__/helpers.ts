/** Shared bits of the test kit's own tests. */
import { join } from 'node:path';

export const FIXTURES = __dirname;
export const PROCESS_TREE = join(FIXTURES, 'process-tree.mjs');
/** An HTTP server answering /readyz and /healthz that logs its SIGTERM. */
export const READY_SERVER = join(FIXTURES, 'ready-server.mjs');

/** The pids a fixture printed as `PIDS [..]`. */
export function pidsFrom(output: string): number[] | undefined {
  const line = output.split('\n').find((l) => l.startsWith('PIDS '));
  return line ? (JSON.parse(line.slice(5)) as number[]) : undefined;
}
