/**
 * Makes sure no child process group outlives this process.
 *
 * Children run in their own process groups (so one signal reaches a child and
 * all of its own children). The price: a terminal's Ctrl-C no longer reaches
 * them, and if this process crashes they would run on as orphans. So while any
 * group is registered here:
 * - on `exit` (normal end, `process.exit`, uncaught exception) every group gets
 *   SIGTERM, a short synchronous grace, then SIGKILL;
 * - on SIGINT, SIGTERM or SIGHUP *that nobody else handles*, the same happens
 *   and the signal is re-raised, so the process still dies of it. A program
 *   that handles the signal itself (like `npm start`) is expected to stop its
 *   children gracefully; the `exit` hook remains its safety net.
 */
import { groupMembers } from './process-table';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long the synchronous path waits for SIGTERM to work before SIGKILL. */
const SYNC_GRACE_MS = 2000;

const groups = new Set<number>();
let installed = false;

/**
 * Registers process group `pgid` (a child spawned with `detached: true`; its pid
 * is the group id). Returns the function that unregisters it.
 */
export function guardGroup(pgid: number): () => void {
  groups.add(pgid);
  install();
  return () => {
    groups.delete(pgid);
    if (groups.size === 0) uninstall();
  };
}

/** The groups registered now (for diagnostics and tests). */
export function guardedGroups(): number[] {
  return [...groups];
}

/** SIGTERM, wait up to `graceMs` (blocking), SIGKILL what is left. For paths that cannot wait asynchronously. */
export function killGroupsSync(pgids: Iterable<number>, graceMs = SYNC_GRACE_MS): void {
  const list = [...pgids];
  for (const pgid of list) signalGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < deadline && list.some((pgid) => groupMembers(pgid).length > 0)) Atomics.wait(pause, 0, 0, 25);
  for (const pgid of list) if (groupMembers(pgid).length > 0) signalGroup(pgid, 'SIGKILL');
}

/** Sends `signal` to every process of group `pgid`; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function onExit(): void {
  killGroupsSync(groups);
  groups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  // Someone else handles this signal: it is theirs to stop the children (the exit hook still backs them up).
  if (process.listenerCount(signal) > 1) return;
  killGroupsSync(groups);
  groups.clear();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}
