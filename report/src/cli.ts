#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseDuration } from '@modelwatch/conventions';
import { writeReport } from './generate';

const USAGE = `Usage: report --prometheus URL --from TIME --to TIME [--job JOB] [--baseline previous.json] --out DIR

Writes DIR/performance-baseline-report.json (schema: report/performance-baseline-report.schema.json)
and DIR/performance-baseline-report.html (self-contained, charts drawn by Chart.js).

  --prometheus URL   any Prometheus with Modelwatch metrics (default http://127.0.0.1:9090)
  --from, --to TIME  RFC 3339 (2026-01-01T10:00:00Z), unix seconds, now, or now-DURATION (now-1h)
  --job JOB          one service only (the job label)
  --baseline FILE    a previous report: its regressions and improvements are listed
  --out DIR          where to write (default .)`;

/** `now`, `now-30m`, unix seconds or an RFC 3339 date, as unix seconds. */
export function parseTime(text: string, now: number = Date.now()): number {
  const relative = /^now(?:-(.+))?$/.exec(text.trim());
  if (relative) return (now - (relative[1] === undefined ? 0 : parseDuration(relative[1]))) / 1000;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new TypeError(`Invalid time ${JSON.stringify(text)}: use RFC 3339 (2026-01-01T10:00:00Z), unix seconds, now or now-1h`);
  return ms / 1000;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      prometheus: { type: 'string', default: 'http://127.0.0.1:9090' },
      from: { type: 'string' },
      to: { type: 'string' },
      job: { type: 'string' },
      baseline: { type: 'string' },
      out: { type: 'string', default: '.' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.from === undefined || values.to === undefined) throw new Error(`--from and --to are required\n\n${USAGE}`);
  const { json, html, report } = await writeReport({
    prometheus: values.prometheus,
    from: parseTime(values.from),
    to: parseTime(values.to),
    job: values.job,
    baseline: values.baseline,
    out: values.out,
  });
  console.log(`Wrote ${json} and ${html}`);
  for (const line of report.recommendations) console.log(`- ${line}`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  );
}
