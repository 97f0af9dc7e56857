/**
 * One child process of the stack, run so that it can always be stopped whole:
 * - its own process group (`detached`), so SIGTERM/SIGKILL reach the child and
 *   everything it started;
 * - registered with the orphan guard, so a crash or an unhandled Ctrl-C of this
 *   process still takes the group down;
 * - output captured with a `[name]` prefix, the tail kept for error messages;
 * - "started" means ready: an HTTP probe answered, not merely "spawned".
 */
import { spawn } from 'node:child_process';
import { guardGroup, signalGroup } from './orphan-guard';
import { createPrefixedLog, type LogTarget } from './prefixed-log';
import { groupMembers } from './process-table';
import { probeHttp, sleep } from './wait';

export interface ReadyProbe {
  /** GET this URL until it answers `status`. */
  url: string;
  /** @defaultValue 200 */
  status?: number;
  /** @defaultValue 30000 */
  timeoutMs?: number;
  /** @defaultValue 100 */
  intervalMs?: number;
}

export interface ProcessOptions {
  /** Log prefix and the name in error messages. */
  name: string;
  command: string;
  args?: readonly string[];
  cwd?: string;
  /** The child's whole environment. @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /** Where output goes besides the in-memory tail. @defaultValue nowhere */
  log?: LogTarget;
  /** Resolve only once this probe passes; without it, resolve once spawned. */
  ready?: ReadyProbe;
  /** Time between SIGTERM and SIGKILL in `stop()`. @defaultValue 5000 */
  stopGraceMs?: number;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  /** The child's pid, which is also its process group id. */
  readonly pid: number;
  /** Settles when the child itself exits (its own children may still run; `stop()` waits for them too). */
  readonly exited: Promise<ExitInfo>;
  running(): boolean;
  /** Running members of the child's process group now (the child and what it started). */
  groupPids(): number[];
  /** The last 64 KiB of output. */
  logs(): string;
  /**
   * SIGTERM to the group; SIGKILL to whatever is left after the grace period;
   * resolves once the whole group is gone. Safe to call twice.
   */
  stop(): Promise<ExitInfo>;
}

/** A child that exited or failed its readiness probe; `logs` holds its last output. */
export class ProcessStartError extends Error {
  constructor(
    message: string,
    readonly logs: string,
  ) {
    super(logs.trim() ? `${message}\n--- last output ---\n${lastLines(logs, 30)}` : message);
    this.name = 'ProcessStartError';
  }
}

/** Spawns `options.command` in its own process group and waits until it is ready. */
export async function startProcess(options: ProcessOptions): Promise<ManagedProcess> {
  const log = createPrefixedLog(options.name, options.log);
  const child = spawn(options.command, [...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr.on('data', (chunk: Buffer) => log.write(chunk));

  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (error) => {
      log.write(`spawn error: ${error.message}\n`);
      exitInfo ??= { code: null, signal: null };
      resolve(exitInfo);
    });
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
  });
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned || child.pid === undefined) {
    await log.end();
    throw new ProcessStartError(`${options.name}: could not run ${options.command}`, log.tail());
  }
  const pid = child.pid;
  const unguard = guardGroup(pid);

  let stopping: Promise<ExitInfo> | undefined;
  const stop = (): Promise<ExitInfo> => {
    stopping ??= (async () => {
      const graceMs = options.stopGraceMs ?? 5000;
      signalGroup(pid, 'SIGTERM');
      const deadline = Date.now() + graceMs;
      while (Date.now() < deadline && (exitInfo === undefined || groupMembers(pid).length > 0)) await sleep(25);
      if (exitInfo === undefined || groupMembers(pid).length > 0) signalGroup(pid, 'SIGKILL');
      const info = await exited;
      // SIGKILL cannot be refused; give the kernel a moment to finish the group off.
      const killDeadline = Date.now() + 5000;
      while (Date.now() < killDeadline && groupMembers(pid).length > 0) await sleep(10);
      unguard();
      await log.end();
      return info;
    })();
    return stopping;
  };

  const managed: ManagedProcess = {
    name: options.name,
    pid,
    exited,
    running: () => exitInfo === undefined,
    groupPids: () => groupMembers(pid),
    logs: () => log.tail(),
    stop,
  };
  if (options.ready) {
    try {
      await waitUntilReady(managed, options.ready);
    } catch (error) {
      await stop();
      throw new ProcessStartError((error as Error).message, log.tail());
    }
  }
  return managed;
}

async function waitUntilReady(child: ManagedProcess, probe: ReadyProbe): Promise<void> {
  const timeoutMs = probe.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let last: number | undefined;
  while (Date.now() < deadline) {
    if (!child.running()) {
      const info = await child.exited;
      throw new Error(`${child.name} exited (${info.signal ?? `code ${String(info.code)}`}) before it was ready`);
    }
    last = await probeHttp(probe.url, 2000);
    if (last === (probe.status ?? 200)) return;
    await sleep(probe.intervalMs ?? 100);
  }
  throw new Error(`${child.name} was not ready after ${timeoutMs} ms (GET ${probe.url} → ${last ?? 'no answer'})`);
}

function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}
