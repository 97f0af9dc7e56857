import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that run a whole live stack (demo under traffic, Prometheus, Alertmanager; Chromium for the
 * e2e pages) take minutes each, mostly waiting for alerts to fire and resolve; everything else takes
 * seconds to a minute. Named `live.test.ts`, `*.live.test.ts` or `*.e2e.test.ts`.
 */
const LONG_RUNNING = /(^|[/\\])(live\.test|[^/\\]+\.live\.test|[^/\\]+\.e2e\.test)\.ts$/;

/**
 * Vitest's order (project by project; within one, the slowest of the last run first, else the largest
 * file), with the long-running files first: a fresh clone has no record of the last run, and a
 * several-minute file that starts last would keep the run going alone at the end.
 */
class LongRunningFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const long = (spec: TestSpecification) => LONG_RUNNING.test(spec.moduleId);
    return [...sorted.filter(long), ...sorted.filter((spec) => !long(spec))];
  }
}

export default defineConfig({
  test: {
    // Every workspace with its own vitest.config.ts is a project.
    projects: ['*/vitest.config.{ts,mts}'],
    // Vitest's default is one worker per core but one, i.e. a single file at a time on the 2-core machines
    // the README's figures come from. The live files spend most of their time waiting on real processes
    // (scrapes, rule evaluations, Alertmanager's group_wait, the demo's model latency), so one file per core
    // nearly halves the run. Not more: in a run of three at once on 2 cores (busy with other work too), unit
    // tests that time real work (a 30 ms request's histogram bucket, the demo's CPU-burn fault) missed.
    // The plugin's browser tests run after the rest, alone (plugin/vitest.config.ts).
    maxWorkers: 2,
    sequence: { sequencer: LongRunningFirst },
  },
});
