/**
 * Time from navigation to every panel rendered, on the Overview and AI models
 * pages in the preview harness, against the live demo (headless Chromium, a
 * fresh browser context per round so the bundle loads cold each time).
 * Prints the median of ROUNDS next to the 1.5 s goal.
 *
 *   node --import tsx plugin/bench/render.ts        (from the repo root; BENCH_ROUNDS=5)
 */
import { appPagePath, type AppPage } from '@modelwatch/exporter/conventions';
import { openPage, startLive, waitForDemoData } from '../e2e/live';

const GOAL_MS = 1500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PAGES: AppPage[] = ['overview', 'ai-models'];

async function main() {
  const live = await startLive();
  try {
    await waitForDemoData(live.stack);
    console.log(`App pages: navigation → all panels rendered (median of ${ROUNDS}, cold browser cache, demo data over the last hour)`);
    for (const name of PAGES) {
      const times: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const context = await live.browser.newContext({ viewport: { width: 1400, height: 1000 } });
        const page = await context.newPage();
        const start = performance.now();
        await openPage(page, live.preview.url, appPagePath(name));
        times.push(performance.now() - start);
        await context.close();
      }
      const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? NaN;
      const verdict = median < GOAL_MS ? 'meets' : 'misses';
      console.log(`  ${name.padEnd(10)} ${Math.round(median)} ms   (goal < ${GOAL_MS} ms: ${verdict}; rounds ${times.map((t) => Math.round(t)).join(', ')})`);
    }
  } finally {
    await live.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
