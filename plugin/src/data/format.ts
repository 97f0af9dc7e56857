/** Number formatting shared by every page; `—` stands for "no value". */
export const NO_VALUE = '—';

const defined = (v: number | undefined | null): v is number => v !== undefined && v !== null && Number.isFinite(v);

/** 0.0321 → "3.2 %"; small non-zero shares keep two decimals. */
export function formatPercent(ratio: number | undefined | null): string {
  if (!defined(ratio)) return NO_VALUE;
  const pct = ratio * 100;
  return `${pct !== 0 && Math.abs(pct) < 1 ? pct.toFixed(2) : pct.toFixed(1)} %`;
}

/** Seconds as ms under one second, else seconds. */
export function formatSeconds(seconds: number | undefined | null): string {
  if (!defined(seconds)) return NO_VALUE;
  if (seconds < 0.01) return `${Number((seconds * 1000).toPrecision(2))} ms`;
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

/** US dollars: cents, or two significant digits below one cent (a tiny spend is never shown as $0). */
export function formatUsd(usd: number | undefined | null): string {
  if (!defined(usd)) return NO_VALUE;
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${Number(usd.toPrecision(2))}`;
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Events per second. */
export function formatRate(perSecond: number | undefined | null, unit = 'req/s'): string {
  if (!defined(perSecond)) return NO_VALUE;
  return `${perSecond < 10 ? Number(perSecond.toPrecision(3)) : Math.round(perSecond).toLocaleString('en-US')} ${unit}`;
}

/** A 0–100 score, rounded. */
export function formatScore(score: number | undefined | null): string {
  return defined(score) ? String(Math.round(score)) : NO_VALUE;
}
