/**
 * Polling helpers. Live tests wait for things Prometheus and Alertmanager do on
 * their own clocks (scrapes, evaluations, group_wait); a timeout must say what
 * was awaited and what was last seen, or a red test tells nothing.
 */

export interface WaitForOptions {
  /** Time between attempts. @defaultValue 100 */
  intervalMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

/** `T` without the values {@link waitFor} treats as "not yet". */
export type Truthy<T> = Exclude<T, undefined | null | false>;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn` until it returns something other than undefined, null or false,
 * and resolves with it. At the timeout, rejects with the description and the
 * last value or error seen. A throwing `fn` counts as "not yet".
 */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs: number, options: WaitForOptions = {}): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  const intervalMs = options.intervalMs ?? 100;
  let last = 'nothing yet';
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false) return value as Truthy<T>;
      last = `returned ${String(value)}`;
    } catch (error) {
      last = `threw ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() >= deadline) {
      throw new Error(`waitFor${options.description ? ` (${options.description})` : ''}: not done after ${timeoutMs} ms; last attempt ${last}`);
    }
    await sleep(intervalMs);
  }
}

/** The HTTP status of a GET of `url`, or undefined when nothing answers. Never throws. */
export async function probeHttp(url: string, timeoutMs = 2000): Promise<number | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}
