/** Loads one panel's data and tracks its state; a newer load wins over an older one still in flight. */
import { useEffect, useState } from 'react';
import { DataProblem } from '../data/errors';

export type PanelData<T> = { state: 'loading' } | { state: 'ready'; data: T } | { state: 'problem'; problem: DataProblem };

export function usePanelData<T>(load: () => Promise<T>, deps: readonly unknown[]): PanelData<T> {
  const [result, setResult] = useState<PanelData<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setResult({ state: 'loading' });
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
