/**
 * Durations as people type them, everywhere the kit takes one: `npm start`
 * (`START_DURATION=30s`), the traffic and fault CLIs, the demo's fault API.
 * Prometheus-style `500ms`, `30s`, `5m`, `1h`, or plain seconds.
 */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** Milliseconds of `text`; throws naming the text when it is not a duration. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new TypeError(`Invalid duration ${JSON.stringify(text)}: use a number with ms, s, m or h (e.g. 90s, 5m)`);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}
