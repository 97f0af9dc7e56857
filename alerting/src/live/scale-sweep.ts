/**
 * What the scale path's sweep asks of VictoriaMetrics: every expression the
 * provisioned dashboards issue (the dashboards' own live sweep, reused) and
 * every query the app's pages issue, built as the pages build them with the
 * app's default settings (legacy GenAI names, the last hour) for one job.
 */
import { jobScope, rangeWindow } from '@modelwatch/conventions';
import { dashboardExpressions, sweepable, type SweptExpression } from '@modelwatch/dashboards';
import { aiModelTargets } from '@modelwatch/plugin/src/queries/aiModels';
import { cacheTargets } from '@modelwatch/plugin/src/queries/cache';
import { jobsTarget } from '@modelwatch/plugin/src/queries/jobs';
import { overviewTargets } from '@modelwatch/plugin/src/queries/overview';

/** The app's default time range (`now-1h`), as its pages turn it into a window. */
const DEFAULT_RANGE = { from: 0, to: 3_600_000 };

/**
 * The app's page queries for `job`, named `app / <page> / <target>`. Left out, as the dashboards' sweep leaves them
 * out: what needs history or substitutions ({@link sweepable}). The Overview's failover query
 * (`modelwatch_failover_active == 1`) is not here either: it has a series only while a model is failed over.
 */
export function appExpressions(job: string): SweptExpression[] {
  const range = jobScope(job, rangeWindow(DEFAULT_RANGE));
  const current = jobScope(job, '5m');
  const pages: Record<string, Record<string, { expr: string }>> = {
    'job selector': { jobs: jobsTarget },
    Overview: overviewTargets(jobScope(job)),
    'AI models': aiModelTargets(range, current),
    Cache: cacheTargets(range, current),
  };
  return Object.entries(pages)
    .flatMap(([page, targets]) => Object.entries(targets).map(([name, target]) => ({ dashboard: 'app', panel: page, refId: name, expr: target.expr })))
    .filter((e) => sweepable(e.expr));
}

/** The dashboards' expressions and the app's: the whole sweep. */
export function sweptExpressions(job: string): SweptExpression[] {
  return [...dashboardExpressions(), ...appExpressions(job)];
}
