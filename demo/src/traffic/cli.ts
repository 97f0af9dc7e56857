#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parseDuration } from '@modelwatch/conventions';
import { writeTrafficReport } from './baseline-report';
import { progressPrinter, summaryTable } from './report';
import { runTraffic } from './runner';
import { isScenarioName, SCENARIO_NAMES, SCENARIOS } from './scenarios';

const USAGE = `Usage: traffic [--scenario ${SCENARIO_NAMES.join('|')}] [options]

Scenarios:
${SCENARIO_NAMES.map((name) => `  ${name.padEnd(10)} ${SCENARIOS[name].users} users for ${SCENARIOS[name].durationMs / 60_000} min: ${SCENARIOS[name].description}`).join('\n')}

Options:
  --users N          virtual users (closed model) or most in flight (with --rps)
  --rps N            open model: N requests per second whatever the latency
  --duration D       e.g. 90s, 5m (max 2h)
  --max-requests N   stop after N requests (default 1000000)
  --think D          mean think time of a user (default 1s)
  --target URL       the demo service (default http://127.0.0.1:$PORT, PORT default 8080)
  --seed N           repeat a run's exact request sequence
  --json             print the summary as JSON
  --report DIR       then write the performance baseline report of the run into DIR
  --prometheus URL   where --report reads (default http://127.0.0.1:$PROMETHEUS_PORT, PROMETHEUS_PORT default 9090)
  --job JOB          the demo's job in that Prometheus (default demo)
  --allow-remote     allow a target outside loopback (127.0.0.0/8, ::1, localhost)`;

/** `npm run traffic -- --scenario load --users 20 --duration 2m`. Ctrl-C stops early and still prints the summary. */
export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      scenario: { type: 'string', default: 'baseline' },
      users: { type: 'string' },
      rps: { type: 'string' },
      duration: { type: 'string' },
      'max-requests': { type: 'string' },
      think: { type: 'string' },
      target: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      report: { type: 'string' },
      prometheus: { type: 'string' },
      job: { type: 'string', default: 'demo' },
      'allow-remote': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!isScenarioName(values.scenario)) throw new Error(`Unknown scenario ${JSON.stringify(values.scenario)}\n\n${USAGE}`);
  const number = (flag: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) throw new Error(`--${flag} must be a number, got ${JSON.stringify(text)}`);
    return value;
  };

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const printer = progressPrinter(process.stderr);
  try {
    const startedAt = Date.now();
    const summary = await runTraffic({
      scenario: values.scenario,
      target: values.target ?? `http://127.0.0.1:${env.PORT ?? 8080}`,
      users: number('users', values.users),
      rps: number('rps', values.rps),
      durationMs: values.duration === undefined ? undefined : parseDuration(values.duration),
      maxRequests: number('max-requests', values['max-requests']),
      thinkTimeMs: values.think === undefined ? undefined : parseDuration(values.think),
      seed: number('seed', values.seed),
      allowRemote: values['allow-remote'],
      signal: stop.signal,
      onProgress: (progress) => printer.print(progress),
    });
    printer.done();
    console.log(values.json ? JSON.stringify(summary, null, 2) : summaryTable(summary));
    if (values.report !== undefined) {
      const prometheus = values.prometheus ?? `http://127.0.0.1:${env.PROMETHEUS_PORT ?? 9090}`;
      const { json, html } = await writeTrafficReport(summary, { out: values.report, prometheus, job: values.job, startedAt, endedAt: Date.now() });
      console.error(`Wrote ${json} and ${html}`);
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
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
