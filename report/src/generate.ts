/**
 * `npm run report` as a function: reads a range of Prometheus, compares it
 * with a previous report when given one, validates the result against the
 * published schema and writes `performance-baseline-report.json` and
 * `performance-baseline-report.html` into the output directory. Nothing is
 * written when the range has no data or the baseline is unreadable.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectFigures, type Range } from './collect';
import { compareReports, recommendations } from './compare';
import { renderHtml } from './html';
import { REPORT_SCHEMA_VERSION, type PerformanceReport, type TrafficRun } from './model';
import { PrometheusClient } from './prometheus';
import { schemaErrors } from './validate';

export const REPORT_JSON = 'performance-baseline-report.json';
export const REPORT_HTML = 'performance-baseline-report.html';

export interface ReportOptions extends Range {
  prometheus: string;
  /** A previous report's JSON file to compare with. */
  baseline?: string;
  /** What the traffic generator saw, when the range is a traffic run. */
  traffic?: TrafficRun;
  /** When the report was made. @defaultValue now */
  generatedAt?: Date;
}

/** A baseline that is not a report this version can compare with. */
export class BaselineError extends Error {}

export function readBaseline(file: string): PerformanceReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BaselineError(`Cannot read the baseline ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`The baseline ${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const errors = schemaErrors(value);
  if (errors.length > 0) throw new BaselineError(`The baseline ${file} is not a performance baseline report (schema version ${REPORT_SCHEMA_VERSION}): ${errors.slice(0, 5).join('; ')}`);
  return value as PerformanceReport;
}

export async function buildReport(options: ReportOptions): Promise<PerformanceReport> {
  if (!(options.to > options.from)) throw new RangeError(`The range must end after it starts (from ${options.from}, to ${options.to})`);
  // Read first, so a bad baseline fails before minutes of queries.
  const baseline = options.baseline === undefined ? undefined : readBaseline(options.baseline);
  const prometheus = new PrometheusClient(options.prometheus);
  const figures = await collectFigures(prometheus, options);
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  const report: PerformanceReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    source: {
      kind: options.traffic ? 'traffic' : 'prometheus',
      prometheus: options.prometheus,
      job: options.job ?? null,
      from: iso(options.from),
      to: iso(options.to),
      durationSeconds: options.to - options.from,
      traffic: options.traffic ?? null,
    },
    ...figures,
    comparison: null,
    recommendations: [],
  };
  if (baseline) report.comparison = compareReports(report, baseline);
  report.recommendations = recommendations(report);
  const errors = schemaErrors(report);
  if (errors.length > 0) throw new Error(`The report does not match its own schema (a bug): ${errors.join('; ')}`);
  return report;
}

/** Builds the report and writes both files; returns their paths. */
export async function writeReport(options: ReportOptions & { out: string }): Promise<{ report: PerformanceReport; json: string; html: string }> {
  const report = await buildReport(options);
  mkdirSync(options.out, { recursive: true });
  const json = join(options.out, REPORT_JSON);
  const html = join(options.out, REPORT_HTML);
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(html, renderHtml(report));
  return { report, json, html };
}
