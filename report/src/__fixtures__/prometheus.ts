/**
 * A real Prometheus serving the synthetic hour: the OpenMetrics text
 * backfilled into a TSDB by promtool, then opened by Prometheus (retention
 * lifted, or it would delete blocks from early 2026 at once).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTool, runTool, startPrometheus, type PrometheusInstance } from '@modelwatch/testkit';
import { syntheticOpenMetrics } from './synthetic';

export async function startSyntheticPrometheus(): Promise<{ prometheus: PrometheusInstance; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-report-'));
  const input = join(dir, 'synthetic.om');
  const dataDir = join(dir, 'data');
  writeFileSync(input, syntheticOpenMetrics());
  const backfill = await runTool(resolveTool('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', input, dataDir], { timeoutMs: 120_000 });
  if (backfill.code !== 0) throw new Error(`promtool could not backfill the synthetic hour: ${backfill.stderr || backfill.stdout}`);
  let prometheus: PrometheusInstance;
  try {
    prometheus = await startPrometheus({ dataDir, extraArgs: ['--storage.tsdb.retention.time=100y'] });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    prometheus,
    async stop() {
      await prometheus.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
