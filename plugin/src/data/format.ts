/** Number formatting shared by every page; `—` stands for "no value". */
const NO_VALUE = '—';

const defined = (v: number | undefined | null): v is number => v !== undefined && v !== null && Number.isFinite(v);

/** 0.0321 → "3.2 %"; small non-zero shares keep two decimals. */
export function formatPercent(ratio: number | undefined | null): string {
  if (!defined(ratio)) return NO_VALUE;
  const pct = ratio * 100;
  return `${pct !== 0 && Math.abs(pct) < 1 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

/** US dollars: cents, or two significant digits below one cent (a tiny spend is never shown as $0). */
export function formatUsd(usd: number | undefined | null): string {
  if (!defined(usd)) return NO_VALUE;
  // Fixed-point to two significant digits: toPrecision alone prints 3.5e-7.
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${usd.toFixed(Math.min(20, 1 - Math.floor(Math.log10(Math.abs(usd)))))}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A 0–100 score, rounded. */
export function formatScore(score: number | undefined | null): string {
  return defined(score) ? String(Math.round(score)) : NO_VALUE;
}

/** An objective's target: 0.999 → "99.9 %", 0.99 → "99 %". */
export function formatTarget(ratio: number | undefined | null): string {
  return defined(ratio) ? `${Number((ratio * 100).toPrecision(6))} %` : NO_VALUE;
}

/**
 * An SLI, two decimals rounded down: next to a 99.9 % target, 99.96 % must not
 * read as 100 %. Only a clean 1 shows as "100 %".
 */
export function formatSli(ratio: number | undefined | null): string {
  if (!defined(ratio)) return NO_VALUE;
  if (ratio >= 1) return '100 %';
  // The epsilon keeps 0.9999 from flooring to 99.98 through binary rounding.
  return `${(Math.floor(ratio * 10_000 + 1e-9) / 100).toFixed(2)} %`;
}

/** A burn rate: how many times faster than its budget allows an objective spends it. */
export function formatBurnRate(rate: number | undefined | null): string {
  if (!defined(rate)) return NO_VALUE;
  return `${rate < 10 ? rate.toFixed(1) : Math.round(rate).toLocaleString('en-US')}×`;
}

/** A latency threshold as written in an SLO spec: "10 s", "2.56 s", "50 ms". */
export function formatThreshold(seconds: number | undefined | null): string {
  if (!defined(seconds)) return NO_VALUE;
  return seconds >= 1 ? `${seconds} s` : `${Number((seconds * 1000).toPrecision(6))} ms`;
}
