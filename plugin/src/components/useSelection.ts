/**
 * The time range and service picked on a page, kept in the URL (`from`, `to`,
 * `job`) so links and reloads keep them, as Grafana's own pages do.
 */
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { dateMath, dateTime, type DateTime, type RawTimeRange, type TimeRange } from '@grafana/data';

export const DEFAULT_RANGE: RawTimeRange = { from: 'now-1h', to: 'now' };

export interface Selection {
  raw: RawTimeRange;
  /** The range resolved when the selection (or `refreshKey`) changed. */
  range: TimeRange;
  job?: string;
  setRange(raw: RawTimeRange): void;
  setJob(job: string): void;
}

export function resolveRange(raw: RawTimeRange): TimeRange {
  const from = toDateTime(raw.from, false);
  const to = toDateTime(raw.to, true);
  if (!from || !to || !from.isValid() || !to.isValid()) return resolveRange(DEFAULT_RANGE);
  return { from, to, raw };
}

export function useSelection(): Selection {
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? String(DEFAULT_RANGE.from);
  const to = params.get('to') ?? String(DEFAULT_RANGE.to);
  const job = params.get('job') ?? undefined;
  const range = useMemo(() => resolveRange({ from, to }), [from, to]);
  const update = useCallback(
    (changes: Record<string, string>) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes)) next.set(key, value);
        return next;
      }),
    [setParams],
  );
  return {
    raw: { from, to },
    range,
    job,
    setRange: (raw) => update({ from: rawToString(raw.from), to: rawToString(raw.to) }),
    setJob: (value) => update({ job: value }),
  };
}

/** `now-1h`-style maths, ISO dates, or epoch milliseconds (what the URL holds after a shift or zoom). */
function toDateTime(value: RawTimeRange['from'], roundUp: boolean): DateTime | undefined {
  if (typeof value === 'string' && /^\d+$/.test(value)) return dateTime(Number(value));
  return dateMath.toDateTime(value, { roundUp });
}

function rawToString(value: RawTimeRange['from']): string {
  return typeof value === 'string' ? value : String(value.valueOf());
}
