/** A load shape: how many virtual users, for how long, and how their number varies. */
export interface Scenario {
  name: ScenarioName;
  description: string;
  users: number;
  durationMs: number;
  /**
   * Share of `users` active at `progress` (0 → 1 of the run). Constant scenarios
   * ramp up over their first 10 % (30 s at most) so the first second is not a thundering herd.
   */
  activeShare(progress: number, durationMs: number): number;
}

export const SCENARIO_NAMES = ['baseline', 'load', 'stress', 'spike', 'endurance'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const MINUTE = 60_000;

const rampThenHold = (progress: number, durationMs: number): number => {
  const rampShare = Math.min(0.1, 30_000 / durationMs);
  return rampShare <= 0 ? 1 : Math.min(1, Math.max(0.02, progress / rampShare));
};

/** The spike: a quiet sixth, the peak for two thirds (2 min by default), a quiet sixth to watch recovery. */
const spikeShape = (progress: number): number => (progress < 1 / 6 || progress >= 5 / 6 ? 0.05 : 1);

export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = {
  baseline: { name: 'baseline', description: 'steady everyday traffic', users: 50, durationMs: 5 * MINUTE, activeShare: rampThenHold },
  load: { name: 'load', description: 'a busy hour', users: 200, durationMs: 10 * MINUTE, activeShare: rampThenHold },
  stress: { name: 'stress', description: 'beyond the expected peak', users: 500, durationMs: 10 * MINUTE, activeShare: rampThenHold },
  spike: { name: 'spike', description: 'a sudden burst: 1000 users for 2 minutes between quiet periods', users: 1000, durationMs: 3 * MINUTE, activeShare: spikeShape },
  endurance: { name: 'endurance', description: 'moderate load held for a long time (leaks, drift)', users: 100, durationMs: 30 * MINUTE, activeShare: rampThenHold },
};

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
