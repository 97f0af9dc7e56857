/**
 * The process table, read from /proc (Linux, where the stack runs). Needed
 * because `kill(pid, 0)` also succeeds on zombies: a child that exited but was
 * not reaped yet (or an orphan whose reaper is slow) would look alive, and
 * "no process survives" checks would flake. Off Linux, falls back to `kill(pid, 0)`.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** One-letter state: R, S, D, Z (zombie), T, ... */
  state: string;
  command: string;
}

const hasProc = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** `/proc/<pid>/stat`, or undefined when the process is gone. */
export function readProc(pid: number): ProcEntry | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "pid (comm) state ppid pgrp ..." — comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')');
  const command = stat.slice(stat.indexOf('(') + 1, close);
  const [state = '?', ppid = '0', pgid = '0'] = stat.slice(close + 2).split(' ');
  return { pid, ppid: Number(ppid), pgid: Number(pgid), state, command };
}

/** Every process in the table (Linux only; empty elsewhere). */
export function listProcesses(): ProcEntry[] {
  if (!hasProc) return [];
  const entries: ProcEntry[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const entry = readProc(Number(name));
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Whether `pid` is a running (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (!hasProc) return true;
  const entry = readProc(pid);
  return entry !== undefined && entry.state !== 'Z';
}

/** The running (non-zombie) members of process group `pgid`. */
export function groupMembers(pgid: number): number[] {
  if (!hasProc) {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  return listProcesses()
    .filter((p) => p.pgid === pgid && p.state !== 'Z')
    .map((p) => p.pid);
}

/** `pid` and all its descendants that are running now (children, grandchildren, ...). */
export function processTree(pid: number): number[] {
  const all = listProcesses();
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    for (const p of all) if (p.ppid === tree[i] && p.state !== 'Z') tree.push(p.pid);
  }
  return tree;
}
