#!/usr/bin/env node
// `npm run bench [-- options]`: the exporter's suites (exporter/bench/run.mjs, which takes the
// options), then the app pages' render timing (suite `render`), in one run. `--only render` runs
// only the render timing; an --only list without `render` runs only the exporter's suites named.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const only = [];
const exporterArgs = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const list = arg === '--only' ? args[++i] : arg.startsWith('--only=') ? arg.slice(7) : undefined;
  if (list === undefined) exporterArgs.push(arg);
  else only.push(...String(list).split(',').filter(Boolean));
}
const exporterSuites = only.filter((suite) => suite !== 'render');
const runExporter = only.length === 0 || exporterSuites.length > 0;
const runRender = only.length === 0 || only.includes('render');

let status = 0;
const run = (command, commandArgs) => {
  const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
  status ||= result.status ?? 1;
};
if (runExporter) run(process.execPath, ['exporter/bench/run.mjs', ...exporterSuites.flatMap((suite) => ['--only', suite]), ...exporterArgs]);
if (runRender) run(process.execPath, ['--import', 'tsx', 'plugin/bench/render.ts']);
process.exitCode = status;
