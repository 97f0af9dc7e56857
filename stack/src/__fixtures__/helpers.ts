/** Shared bits of the stack tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isAlive } from '../proc';
import { waitFor } from '../wait';

export const FIXTURES = __dirname;
export const STAND_IN_DEMO = join(FIXTURES, 'stand-in-demo.mjs');
export const STAND_IN_TRAFFIC = join(FIXTURES, 'stand-in-traffic.mjs');
export const PROCESS_TREE = join(FIXTURES, 'process-tree.mjs');

/** The pids a fixture printed as `PIDS [..]`. */
export function pidsFrom(output: string): number[] | undefined {
  const line = output.split('\n').find((l) => l.startsWith('PIDS '));
  return line ? (JSON.parse(line.slice(5)) as number[]) : undefined;
}

/** Pids of `pids` still running (zombies do not count: they have exited, only their parent has not reaped them yet). */
export const survivors = (pids: readonly number[]): number[] => pids.filter(isAlive);

/** Waits (briefly: a dying process may take a moment) until none of `pids` runs. */
export async function expectAllGone(pids: readonly number[], timeoutMs = 3000): Promise<void> {
  await waitFor(() => survivors(pids).length === 0, timeoutMs, { description: `no survivor among ${pids.join(', ')}; alive: ${survivors(pids).join(', ')}` });
}

/** A plain (non-detached) child with its output collected, for tests that play the parent's parent. */
export function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}
