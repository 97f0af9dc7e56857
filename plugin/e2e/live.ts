/**
 * What the browser tests and the bench start: the demo under traffic,
 * Prometheus and Alertmanager (through @modelwatch/stack), the preview
 * harness in front of them, and headless Chromium. `stop()` ends all of it.
 */
import { METRICS } from '@modelwatch/conventions';
import { startStack, type Stack } from '@modelwatch/stack';
import { resolveTool } from '@modelwatch/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startPreviewServer, type PreviewServer } from '../preview/server/server';

/** Debian's Chromium (or `CHROMIUM_BIN`); throws with the install command when it is missing. */
export const chromiumPath = (): string => resolveTool('chromium');

export interface Live {
  stack: Stack;
  preview: PreviewServer;
  browser: Browser;
  stop(): Promise<void>;
}

export async function startLive(): Promise<Live> {
  const executablePath = chromiumPath();
  const stack = await startStack({ demo: { timeScale: 1 }, traffic: { scenario: 'baseline', users: 10, duration: '10m', loop: true } });
  const started: Array<() => Promise<void>> = [() => stack.stop()];
  const stop = async () => {
    for (const s of started.reverse()) await s();
  };
  try {
    if (!stack.prometheus) throw new Error(`Prometheus did not start: ${stack.skipped.map((s) => s.reason).join('; ')}`);
    const preview = await startPreviewServer({ prometheusUrl: stack.prometheus.url, alertmanagerUrl: stack.alertmanager?.url });
    started.push(() => preview.close());
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    started.push(() => browser.close());
    return { stack, preview, browser, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Waits until Prometheus has scraped what the pages need — AI spend, cache lookups and HTTP traffic — for half a minute. */
export async function waitForDemoData(stack: Stack, timeoutMs = 90_000): Promise<void> {
  const prometheus = stack.prometheus;
  if (!prometheus) throw new Error('no Prometheus');
  const deadline = Date.now() + timeoutMs;
  const needed = [METRICS.genAiCost.name, METRICS.cacheRequests.name, `${METRICS.httpServerRequestDuration.name}_count`].map((metric) => `sum(rate(${metric}[1m])) > 0`);
  while (Date.now() < deadline) {
    // Held 30 s ago too, so the range queries (trends, charts) have points as well.
    const earlier = Date.now() / 1000 - 30;
    const ready = await Promise.all(needed.flatMap((q) => [prometheus.query(q), prometheus.query(q, earlier)]).map(async (result) => (await result).length > 0));
    if (ready.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`Prometheus had no demo data after ${timeoutMs} ms`);
}

/** Opens an app page and waits until every panel has left its loading state and drawn its chart. */
export async function openPage(page: Page, baseUrl: string, path: string, timeoutMs = 30_000): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await waitForPanels(page, timeoutMs);
}

export async function waitForPanels(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const panels = [...document.querySelectorAll('[data-panel]')];
      // Each Grafana panel the page asked for (`data-plugin-id`) is drawn once the harness' renderer marks it ready.
      const drawn = [...document.querySelectorAll('[data-plugin-id]')].every((viz) => viz.querySelector('[data-viz-ready="true"]'));
      return panels.length > 0 && panels.every((p) => p.getAttribute('data-state') !== 'loading') && drawn;
    },
    null,
    { timeout: timeoutMs },
  );
}
