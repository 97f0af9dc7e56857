/**
 * The stand-in's "drawn" signal: each panel calls `useVizReady()` (or the
 * callback it returns) once its chart is on screen, and the stand-in root sets
 * `data-viz-ready="true"` — what the bench and the browser tests wait for.
 */
import { createContext, useContext, useEffect } from 'react';

export const VizReadyContext = createContext<() => void>(() => undefined);

/** Marks the panel drawn after its first commit (stat, gauges, table: drawn by React itself). */
export function useVizReadyOnMount(): void {
  const ready = useContext(VizReadyContext);
  useEffect(() => ready(), [ready]);
}

/** The callback, for panels that draw later (uPlot). */
export function useVizReady(): () => void {
  return useContext(VizReadyContext);
}
