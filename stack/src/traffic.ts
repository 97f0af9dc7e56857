/**
 * The demo's traffic generator (`node demo/dist/traffic/cli.js`) as a managed
 * child, so steady traffic runs beside the stack and stops with it.
 */
import { existsSync } from 'node:fs';
import { DemoNotBuiltError } from './demo';
import { type ExitInfo, type LogTarget, type ManagedProcess, startProcess } from '@modelwatch/testkit';
import { REPO_PATHS } from './repo';

export interface TrafficOptions {
  /** Base URL of the service to load, e.g. the demo's `url`. */
  target: string;
  /** @defaultValue 'baseline' */
  scenario?: string;
  /** Concurrent virtual users. @defaultValue the scenario's */
  users?: number;
  /** e.g. '30s', '5m'. @defaultValue the scenario's */
  duration?: string;
  /** More CLI arguments. */
  extraArgs?: readonly string[];
  /** The CLI script. @defaultValue demo/dist/traffic/cli.js */
  entry?: string;
  log?: LogTarget;
}

export interface TrafficInstance {
  readonly process: ManagedProcess;
  /** The arguments it runs with (for the printed summary). */
  readonly args: readonly string[];
  /** Settles when the generator ends (its duration is over, or it failed). */
  readonly exited: Promise<ExitInfo>;
  running(): boolean;
  logs(): string;
  stop(): Promise<void>;
}

/** Starts the traffic generator; resolves once it is spawned (it has no readiness of its own). */
export async function startTraffic(options: TrafficOptions): Promise<TrafficInstance> {
  const entry = options.entry ?? REPO_PATHS.trafficCli;
  if (!existsSync(entry)) throw new DemoNotBuiltError(entry, 'the traffic generator');
  const args = ['--scenario', options.scenario ?? 'baseline', '--target', options.target];
  if (options.users !== undefined) args.push('--users', String(options.users));
  if (options.duration !== undefined) args.push('--duration', options.duration);
  args.push(...(options.extraArgs ?? []));
  const child = await startProcess({ name: 'traffic', command: process.execPath, args: [entry, ...args], log: options.log });
  return {
    process: child,
    args,
    exited: child.exited,
    running: () => child.running(),
    logs: () => child.logs(),
    stop: async () => void (await child.stop()),
  };
}

/**
 * Runs the generator again each time its duration is over, so traffic lasts as
 * long as the stack although one run is bounded (the demo's CLI caps it at 2 h).
 * Ends for good on `stop()`, or when a run fails (its exit shows in `exited`).
 */
export async function startTrafficLoop(options: TrafficOptions): Promise<TrafficInstance> {
  let current = await startTraffic(options);
  let stopped = false;
  let restarting: Promise<void> | undefined;
  let finish!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (finish = resolve));
  const watch = (run: TrafficInstance) => {
    void run.exited.then((info) => {
      if (stopped || info.code !== 0) return finish(info);
      restarting = startTraffic(options).then(
        async (next) => {
          current = next;
          if (stopped) await next.stop();
          else watch(next);
        },
        () => finish(info),
      );
    });
  };
  watch(current);
  return {
    get process() {
      return current.process;
    },
    get args() {
      return current.args;
    },
    exited,
    running: () => !stopped && current.running(),
    logs: () => current.logs(),
    async stop() {
      stopped = true;
      await restarting;
      await current.stop();
    },
  };
}
