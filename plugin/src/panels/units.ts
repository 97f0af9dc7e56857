/**
 * The Grafana units the pages give their fields (ids of Grafana's value
 * formats, `getValueFormat` in @grafana/data), so every number is formatted
 * by Grafana itself: no scientific notation, units on axes and in tooltips.
 */
export const UNIT = {
  seconds: 's',
  /** A 0–1 ratio shown as a percentage. */
  ratio: 'percentunit',
  usd: 'currencyUSD',
  requestsPerSecond: 'reqps',
  requestsPerMinute: 'reqpm',
  score: 'none',
  /** A count of events (calls), abbreviated past a thousand. */
  count: 'short',
  tokensPerSecond: 'suffix:tok/s',
  /** A burn rate: how many times faster than its budget allows an objective spends it. */
  burnRate: 'suffix:×',
} as const;

/**
 * Below one per second a rate reads better per minute (`2.47 req/min`, not
 * `0.0411 req/s`): the factor to multiply per-second values by and the unit.
 */
export function requestRateScale(perSecond: ReadonlyArray<number | null | undefined>): { factor: number; unit: string } {
  const largest = Math.max(0, ...perSecond.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
  return largest < 1 ? { factor: 60, unit: UNIT.requestsPerMinute } : { factor: 1, unit: UNIT.requestsPerSecond };
}
