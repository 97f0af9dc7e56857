import { parseExposition, type Sample } from '@modelwatch/testkit';
import { send } from './http-client';

/** Scrapes a metrics URL in the Prometheus text format and returns its samples. */
export async function scrape(metricsUrl: string): Promise<Sample[]> {
  const response = await send(metricsUrl);
  if (response.status !== 200) throw new Error(`Scrape of ${metricsUrl} answered ${response.status}: ${response.text}`);
  return parseExposition(response.text).samples;
}

/** Polls `check` every 10 ms until it returns true; throws after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
