/**
 * Prometheus durations ("30s", "5m", "1d"): parsed to seconds and written back
 * in the largest unit that divides them, as Prometheus prints them.
 */
const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;

/** Seconds in a duration of one number and one unit (s, m, h, d). */
export function durationSeconds(duration: string): number {
  const match = /^(\d+)([smhd])$/.exec(duration);
  if (!match) throw new Error(`unsupported duration ${JSON.stringify(duration)}: expected a number and one of s, m, h, d`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as Unit];
}

/** A whole number of seconds as a Prometheus duration ("0s" for 0). */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 0) throw new Error(`cannot write ${seconds} s as a Prometheus duration`);
  if (seconds === 0) return '0s';
  const unit = (Object.keys(UNIT_SECONDS) as Unit[]).find((u) => seconds % UNIT_SECONDS[u] === 0) ?? 's';
  return `${seconds / UNIT_SECONDS[unit]}${unit}`;
}
