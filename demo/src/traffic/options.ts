import { checkTarget } from '../shared/loopback';
import { SCENARIOS, type Scenario, type ScenarioName } from './scenarios';

export interface TrafficOptions {
  /** The demo service. @defaultValue `http://127.0.0.1:8080` */
  target?: string;
  /** @defaultValue `baseline` */
  scenario?: ScenarioName;
  /** Virtual users (closed model), or the most requests in flight with `rps`. @defaultValue the scenario's */
  users?: number;
  /** Open model: requests per second at the peak, whatever the response times. @defaultValue closed model */
  rps?: number;
  /** @defaultValue the scenario's */
  durationMs?: number;
  /** Hard stop after this many requests. @defaultValue 1,000,000 */
  maxRequests?: number;
  /** Mean think time of a virtual user between two requests. @defaultValue 1000 */
  thinkTimeMs?: number;
  /** One request's time limit. @defaultValue 60000 */
  requestTimeoutMs?: number;
  /** Allow a target outside loopback. @defaultValue false */
  allowRemote?: boolean;
  /** Seed of the request mix. @defaultValue random */
  seed?: number;
  /** Stops the run early; the summary is still returned. */
  signal?: AbortSignal;
  /** Called about once a second with live numbers. */
  onProgress?: (progress: Progress) => void;
}

export interface Progress {
  elapsedMs: number;
  durationMs: number;
  activeUsers: number;
  inFlight: number;
  /** Requests completed per second over the last tick. */
  rps: number;
  p95Ms: number;
  requests: number;
  errors: number;
}

/** Limits no flag can lift: the generator must always stop by itself. */
export const HARD_LIMITS = { maxDurationMs: 2 * 3_600_000, maxUsers: 5000, maxRps: 5000, maxRequests: 5_000_000 } as const;

export interface ResolvedOptions {
  target: URL;
  scenario: Scenario;
  users: number;
  rps: number | undefined;
  durationMs: number;
  maxRequests: number;
  thinkTimeMs: number;
  requestTimeoutMs: number;
  seed: number;
}

/** Fills defaults from the scenario and enforces the hard limits, with errors naming the flag. */
export function resolveOptions(options: TrafficOptions): ResolvedOptions {
  const scenario = SCENARIOS[options.scenario ?? 'baseline'];
  if (!scenario) throw new RangeError(`Unknown scenario ${JSON.stringify(options.scenario)}`);
  const users = options.users ?? scenario.users;
  const durationMs = options.durationMs ?? scenario.durationMs;
  const maxRequests = options.maxRequests ?? 1_000_000;
  bounded('users', users, 1, HARD_LIMITS.maxUsers);
  bounded('duration (ms)', durationMs, 1, HARD_LIMITS.maxDurationMs);
  bounded('max requests', maxRequests, 1, HARD_LIMITS.maxRequests);
  if (options.rps !== undefined) bounded('rps', options.rps, 0.1, HARD_LIMITS.maxRps);
  return {
    target: checkTarget(options.target ?? 'http://127.0.0.1:8080', options.allowRemote),
    scenario,
    users: Math.round(users),
    rps: options.rps,
    durationMs,
    maxRequests: Math.round(maxRequests),
    thinkTimeMs: options.thinkTimeMs ?? 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    seed: options.seed ?? Math.floor(Math.random() * 2 ** 31),
  };
}

function bounded(name: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${name} must be between ${min} and ${max}, got ${value}`);
}
