#!/usr/bin/env node
// `npm start`: runs the local stack. Until the demo service lands this is the
// exporter's Express example on http://127.0.0.1:3000 (metrics at /metrics).
import { spawn } from 'node:child_process';

const port = process.env.PORT ?? '3000';
const example = spawn(process.execPath, ['--import', 'tsx', 'express.ts'], {
  cwd: new URL('../exporter/examples/', import.meta.url),
  env: { ...process.env, PORT: port },
  stdio: 'inherit',
});
console.log(`Example app: http://127.0.0.1:${port}/users/42   metrics: http://127.0.0.1:${port}/metrics   (Ctrl-C to stop)`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => example.kill(signal));
example.on('exit', (code) => process.exit(code ?? 0));
