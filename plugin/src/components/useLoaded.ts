/** Loads one page's data and tracks its state; a newer load wins over an older one still in flight. */
import { useEffect, useState } from 'react';
import { DataProblem } from '../data/errors';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; data: T } | { state: 'problem'; problem: DataProblem };

export function useLoaded<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [result, setResult] = useState<Loaded<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setResult({ state: 'ready', data }),
      (error: unknown) => current && setResult({ state: 'problem', problem: asProblem(error) }),
    );
    return () => {
      current = false;
    };
    // The caller lists what `load` depends on.
  }, deps);
  return result;
}

function asProblem(error: unknown): DataProblem {
  if (error instanceof DataProblem) return error;
  return new DataProblem('unreachable', error instanceof Error ? error.message : String(error));
}
