/**
 * Time from navigation to every panel rendered, on the Overview and AI models
 * pages in the preview harness, against the live demo (headless Chromium, a
 * fresh browser context per round so the bundle loads cold each time).
 * "Rendered" means every `[data-panel]` has left its loading state and every
 * chart drawn through `PanelRenderer` — the harness's stand-in root,
 * `[data-viz]` — is marked `data-viz-ready` (for a time series: uPlot has drawn
 * its axes). Prints the median of ROUNDS next to the 1.5 s goal.
 *
 *   node --import tsx plugin/bench/render.ts        (from the repo root; BENCH_ROUNDS=5)
 */
import { appPagePath, type AppPage } from '@modelwatch/exporter/conventions';
import type { Page } from 'playwright-core';
import { startLive, waitForDemoData } from '../e2e/live';

const GOAL_MS = 1500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES: AppPage[] = ['overview', 'ai-models'];

/** Navigates and resolves once all panels and their charts are drawn, with the number of charts. */
async function openUntilDrawn(page: Page, baseUrl: string, path: string, timeoutMs = 30_000): Promise<number> {
  await page.goto(`${baseUrl}${path}`);
  const drawn = await page.waitForFunction(
    () => {
      const panels = [...document.querySelectorAll('[data-panel]')];
      if (panels.length === 0 || panels.some((p) => p.getAttribute('data-state') === 'loading')) return false;
      const charts = [...document.querySelectorAll('[data-viz]')];
      if (charts.some((c) => c.getAttribute('data-viz-ready') !== 'true')) return false;
      if (charts.some((c) => c.getAttribute('data-viz') === 'timeseries' && c.querySelector('.uplot') && !c.querySelector('.u-axis'))) return false;
      return { charts: charts.length };
    },
    null,
    { timeout: timeoutMs },
  );
  return ((await drawn.jsonValue()) as { charts: number }).charts;
}

async function main() {
  const live = await startLive();
  try {
    await waitForDemoData(live.stack);
    console.log(`App pages: navigation → all panels and their charts drawn (median of ${ROUNDS}, cold browser cache, demo data over the last hour)`);
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
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
      const verdict = median < GOAL_MS ? 'meets' : 'misses';
      const drawnBy = charts > 0 ? `${charts} charts through PanelRenderer` : 'no PanelRenderer charts on the page';
      console.log(`  ${name.padEnd(10)} ${Math.round(median)} ms   (goal < ${GOAL_MS} ms: ${verdict}; ${drawnBy}; rounds ${times.map((t) => Math.round(t)).join(', ')})`);
    }
  } finally {
    await live.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
