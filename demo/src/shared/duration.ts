const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses a human duration (`90s`, `5m`, `1h`, `250ms`, or a bare number of seconds)
 * into milliseconds. CLIs and the admin API share it so `--duration 5m` means the
 * same everywhere.
 */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new TypeError(`Invalid duration ${JSON.stringify(text)}: use a number with ms, s, m or h (e.g. 90s, 5m)`);
  const value = Number(match[1]);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  return Math.round(value * UNIT_MS[unit]);
}

/** `125000` → `2m5s`: for progress lines and summaries. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}
