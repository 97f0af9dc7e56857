/**
 * A dead man's switch as heartbeat services (healthchecks.io and the like) run
 * one: it expects a ping at least every `periodMs`, and reports `down` once
 * none came for `periodMs + graceMs`. Alertmanager's watchdog receiver pings
 * such a service; the live tests feed this one the sink's watchdog deliveries,
 * to show the pings stop when Prometheus does, and how soon that is noticed.
 */
export type SwitchState = 'new' | 'up' | 'down';

export interface DeadMansSwitchOptions {
  /** How often a ping is expected (the watchdog route's repeat_interval). */
  periodMs: number;
  /** How late a ping may be before the switch trips. */
  graceMs: number;
}

export interface DeadMansSwitch {
  ping(atMs?: number): void;
  /** `new` until the first ping (a heartbeat service does not alarm before one). */
  state(nowMs?: number): SwitchState;
  /** Epoch ms of the last ping, if any. */
  readonly lastPingMs: number | undefined;
}

export function createDeadMansSwitch({ periodMs, graceMs }: DeadMansSwitchOptions): DeadMansSwitch {
  if (!(periodMs > 0) || !(graceMs >= 0)) throw new Error(`dead man's switch: period must be > 0 and grace >= 0 (got ${periodMs}, ${graceMs})`);
  let last: number | undefined;
  return {
    ping(atMs = Date.now()) {
      last = Math.max(last ?? atMs, atMs);
    },
    state(nowMs = Date.now()) {
      if (last === undefined) return 'new';
      return nowMs - last > periodMs + graceMs ? 'down' : 'up';
    },
    get lastPingMs() {
      return last;
    },
  };
}
