/** Checks on child processes for tests that play a parent's parent, or wait for a tree to be gone. */
import { spawn, type ChildProcess } from 'node:child_process';
import { isAlive } from './process-table';
import { waitFor } from './wait';

/** Pids of `pids` still running (zombies do not count: they have exited, only their parent has not reaped them yet). */
export const survivors = (pids: readonly number[]): number[] => pids.filter(isAlive);

/** Waits (briefly: a dying process may take a moment) until none of `pids` runs. */
export async function expectAllGone(pids: readonly number[], timeoutMs = 3000): Promise<void> {
  await waitFor(() => survivors(pids).length === 0, timeoutMs, { description: `no survivor among ${pids.join(', ')}; alive: ${survivors(pids).join(', ')}` });
}

/** A plain (non-detached) Node child with its output collected. */
export function runNode(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}
