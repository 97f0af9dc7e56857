/**
 * The time range, refresh interval and service picked on a page, kept in the
 * URL as Grafana's dashboards keep them (`from`, `to`, `refresh`, `var-job`),
 * so a link reproduces the page and back/forward walk through the changes.
 * A range that cannot be read is reported, never silently replaced.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { dateMath, dateTime, rangeUtil, type DateTime, type RawTimeRange, type TimeRange } from '@grafana/data';

export const DEFAULT_RANGE: RawTimeRange = { from: 'now-1h', to: 'now' };
export const URL_PARAM = { from: 'from', to: 'to', refresh: 'refresh', job: 'var-job' } as const;
export const REFRESH_INTERVALS = ['5s', '10s', '30s', '1m', '5m', '15m'];

export type RangeReading = { ok: true; range: TimeRange } | { ok: false; problem: string };

export interface Selection {
  raw: RawTimeRange;
  /** The range resolved when the selection changed, at the last refresh. */
  reading: RangeReading;
  /** `var-job`, when set. */
  job?: string;
  refresh: string;
  setRange(raw: RawTimeRange): void;
  /** `replace` changes the URL without a new history entry (a default, not a user's choice). */
  setJob(job: string, replace?: boolean): void;
  setRefresh(interval: string): void;
  /** Re-resolves a relative range now (the refresh button). */
  refreshNow(): void;
}

export function readRange(raw: RawTimeRange): RangeReading {
  const from = toDateTime(raw.from, false);
  const to = toDateTime(raw.to, true);
  if (!from?.isValid()) return { ok: false, problem: `The URL's start of the time range, from=${String(raw.from)}, is not a time Grafana can read.` };
  if (!to?.isValid()) return { ok: false, problem: `The URL's end of the time range, to=${String(raw.to)}, is not a time Grafana can read.` };
  if (from.valueOf() >= to.valueOf()) return { ok: false, problem: `The time range starts (${from.toISOString()}) after it ends (${to.toISOString()}).` };
  return { ok: true, range: { from, to, raw } };
}

export function useSelection(): Selection {
  const [params, setParams] = useSearchParams();
  const from = params.get(URL_PARAM.from) || String(DEFAULT_RANGE.from);
  const to = params.get(URL_PARAM.to) || String(DEFAULT_RANGE.to);
  const job = params.get(URL_PARAM.job) || undefined;
  const refresh = params.get(URL_PARAM.refresh) ?? '';
  const [tick, setTick] = useState(0);
  const refreshMs = refreshIntervalMs(refresh);
  useEffect(() => {
    if (refreshMs === undefined) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);
  // `tick` re-resolves `now-1h` at each refresh.
  const reading = useMemo(() => readRange({ from, to }), [from, to, tick]);
  const update = useCallback(
    (changes: Record<string, string>, replace = false) =>
      setParams(
        (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  const setJob = useCallback((value: string, replace?: boolean) => update({ [URL_PARAM.job]: value }, replace), [update]);
  return {
    raw: { from, to },
    reading,
    job,
    refresh,
    setRange: (raw) => update({ [URL_PARAM.from]: rawToString(raw.from), [URL_PARAM.to]: rawToString(raw.to) }),
    setJob,
    setRefresh: (interval) => update({ [URL_PARAM.refresh]: interval }),
    refreshNow: () => setTick((t) => t + 1),
  };
}

/** Milliseconds of a refresh interval (`30s`, `1m`), or undefined when off or unreadable. */
export function refreshIntervalMs(interval: string): number | undefined {
  if (!interval) return undefined;
  try {
    const ms = rangeUtil.intervalToMs(interval);
    return ms >= 1000 ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** `now-1h`-style maths, ISO dates, or epoch milliseconds (what the URL holds after a shift or zoom). */
function toDateTime(value: RawTimeRange['from'], roundUp: boolean): DateTime | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) return dateTime(Number(value));
  return dateMath.toDateTime(value, { roundUp });
}

function rawToString(value: RawTimeRange['from']): string {
  return typeof value === 'string' ? value : String(value.valueOf());
}
