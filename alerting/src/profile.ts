/**
 * Timing profiles. The committed rules use `production` (windows and `for`
 * as written in the spec). Live tests and `npm run detect` generate the same
 * rules with `fast`: every rate window and `for` shrunk, so a fault fires and
 * resolves within seconds on a stack scraping every second. The expressions,
 * labels and annotations are the same in both.
 */
import { durationSeconds, formatDuration } from './duration';

export interface TimingProfile {
  readonly name: 'production' | 'fast';
  /** The range a query uses for a nominal window (the `window` label keeps the nominal one). */
  window(nominal: string): string;
  /** The `for` an alert uses for its nominal `for`. */
  pendingFor(nominal: string): string;
}

export const PRODUCTION: TimingProfile = {
  name: 'production',
  window: (nominal) => nominal,
  pendingFor: (nominal) => nominal,
};

/** Windows divided by 20 (5m → 15s, 1h → 3m), never under 10 s (ten 1 s scrapes); `for` at most 5 s. */
export const FAST: TimingProfile = {
  name: 'fast',
  window: (nominal) => formatDuration(Math.max(10, Math.round(durationSeconds(nominal) / 20))),
  pendingFor: (nominal) => formatDuration(Math.min(5, durationSeconds(nominal))),
};
