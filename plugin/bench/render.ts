/**
 * Time from navigation to every panel rendered, on the Overview and AI models
 * pages in the preview harness, against the live demo (headless Chromium), two
 * ways:
 * - cold: a fresh browser context per round, so the whole bundle loads and
 *   parses each time, Grafana's own libraries (@grafana/ui, data, runtime,
 *   moment-timezone…) included — which inside Grafana are loaded once with
 *   Grafana itself, before any app page opens;
 * - in the app: the page opened from another app page through its tab, what
 *   an SRE inside Grafana waits for (the libraries are loaded, the page's
 *   queries and panels are not).
 * "Rendered" means every `[data-panel]` has left its loading state and every
 * chart drawn through `PanelRenderer` — the harness's stand-in root,
 * `[data-viz]` — is marked `data-viz-ready` (for a time series: uPlot has drawn
 * its axes). Prints the median of ROUNDS next to the 1.5 s goal.
 *
 *   node --import tsx plugin/bench/render.ts        (from the repo root; BENCH_ROUNDS=5)
 */
import { appPagePath, type AppPage } from '@modelwatch/conventions';
import type { Page } from 'playwright-core';
import { startLive, waitForDemoData } from '../e2e/live';

const GOAL_MS = 1500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES: AppPage[] = ['overview', 'ai-models'];

/** Navigates and resolves once all panels and their charts are drawn, with the number of charts. */
async function openUntilDrawn(page: Page, baseUrl: string, path: string, timeoutMs = 30_000): Promise<number> {
  await page.goto(`${baseUrl}${path}`);
  return untilDrawn(page, path.split('/').pop() ?? '', timeoutMs);
}

/** Resolves once the app page `name` shows all its panels and charts drawn, with the number of charts. */
async function untilDrawn(page: Page, name: string, timeoutMs = 30_000): Promise<number> {
  const drawn = await page.waitForFunction(
    (pageName) => {
      if (!document.querySelector(`[data-page="${pageName}"]`)) return false;
      const panels = [...document.querySelectorAll('[data-panel]')];
      if (panels.length === 0 || panels.some((p) => p.getAttribute('data-state') === 'loading')) return false;
      const charts = [...document.querySelectorAll('[data-viz]')];
      if (charts.some((c) => c.getAttribute('data-viz-ready') !== 'true')) return false;
      if (charts.some((c) => c.getAttribute('data-viz') === 'timeseries' && c.querySelector('.uplot') && !c.querySelector('.u-axis'))) return false;
      return { charts: charts.length };
    },
    name,
    { timeout: timeoutMs },
  );
  return ((await drawn.jsonValue()) as { charts: number }).charts;
}

const PAGE_TABS: Record<AppPage, string> = { overview: 'Overview', 'ai-models': 'AI models', cache: 'Cache', alerts: 'Alerts' };

function report(label: string, times: readonly number[], detail: string) {
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
  const verdict = median < GOAL_MS ? 'meets' : 'misses';
  console.log(`  ${label.padEnd(18)} ${Math.round(median)} ms   (goal < ${GOAL_MS} ms: ${verdict}; ${detail}; rounds ${times.map((t) => Math.round(t)).join(', ')})`);
}

async function main() {
  const live = await startLive();
  try {
    await waitForDemoData(live.stack);
    console.log(`App pages: navigation → all panels and their charts drawn (median of ${ROUNDS}; cold: fresh browser context, the whole bundle with Grafana's libraries; in app: through a tab, libraries loaded)`);
    for (const name of PAGES) {
      const times: number[] = [];
      let charts = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const context = await live.browser.newContext({ viewport: { width: 1400, height: 1000 } });
        const page = await context.newPage();
        const start = performance.now();
        charts = await openUntilDrawn(page, live.preview.url, appPagePath(name));
        times.push(performance.now() - start);
        await context.close();
      }
      const drawnBy = charts > 0 ? `${charts} charts through PanelRenderer` : 'no PanelRenderer charts on the page';
      report(`${name} cold`, times, drawnBy);
    }
    // In the app: one context, the bundle loaded once; each round opens the page from the Alerts tab.
    const context = await live.browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await openUntilDrawn(page, live.preview.url, appPagePath('alerts'));
    for (const name of PAGES) {
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const start = performance.now();
        await page.getByRole('tab', { name: PAGE_TABS[name] }).click();
        await untilDrawn(page, name);
        times.push(performance.now() - start);
        await page.getByRole('tab', { name: PAGE_TABS.alerts }).click();
        await untilDrawn(page, 'alerts');
      }
      report(`${name} in app`, times, 'from the Alerts tab');
    }
    await context.close();
  } finally {
    await live.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
