// Suite (only with `--only http-instructions`) — the http suite's servers counted in
// instructions instead of requests per second: each server runs under valgrind's callgrind
// while a plain Node client (not under valgrind) sends it hello-world requests, 4 in flight on
// keep-alive sockets. Callgrind counts the server's user-space instructions (its JavaScript,
// V8, the garbage collector's threads, libuv; not the kernel's TCP). Each variant runs twice,
// with fewer and with more requests, and the difference ÷ the extra requests is its cost per
// request once started and compiled: the start, the warm-up and most JIT compilation cancel
// out. On a shared 2-core host the http suite's throughput ratios move by ±20 % between two
// identical servers; two runs of the same server here agreed within about 2 % (Fastify, with
// --single-threaded), so it tells what the throughput figures cannot: how far apart two
// variants' own work is, down to a few thousand instructions a request.
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './http.mjs';
import { printTable } from './lib/util.mjs';

const SELF = fileURLToPath(import.meta.url);
const PIN_TICK_MAPS = new URL('./lib/pin-tick-maps.mjs', import.meta.url).href;
const VARIANTS = {
  express: ['bare', 'minimal', 'modelwatch', 'express-prom-bundle'],
  fastify: ['bare', 'minimal', 'modelwatch', 'fastify-metrics'],
};
/** Requests of the shorter and the longer run: Express executes about ten times Fastify's instructions a request. */
const REQUESTS = {
  express: { full: [5_000, 15_000], quick: [1_000, 3_000] },
  fastify: { full: [6_000, 18_000], quick: [1_500, 4_500] },
};
const IN_FLIGHT = 4;
/** Valgrind runs at once (one per core). */
const PARALLEL = 2;

// ---- the client: plain Node, sends `total` requests, then exits ----

function client(port, total) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  let sent = 0;
  let done = 0;
  const next = () => {
    if (sent >= total) return;
    sent++;
    http
      .get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (++done === total) {
            agent.destroy();
            process.exit(0);
          }
          next();
        });
      })
      .on('error', (error) => {
        console.error(`client: ${error.message}`);
        process.exit(1);
      });
  };
  for (let i = 0; i < IN_FLIGHT; i++) next();
}

// ---- the server (under valgrind): the http suite's server, ends when its client has ----

async function server(framework, variant, total) {
  const port = await startServer(framework, variant);
  const child = fork(SELF, ['--client', String(port), String(total)], { execArgv: [] });
  child.on('exit', (code) => process.exit(code ?? 1));
}

// ---- parent ----

function valgrindMissing() {
  try {
    execFileSync('valgrind', ['--version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'valgrind is not installed: apt-get install -y valgrind';
  }
}

/** The server's instructions for `total` requests (callgrind's `Collected` total). */
function count(framework, variant, total, dir) {
  return new Promise((resolve, reject) => {
    const args = [
      '--tool=callgrind',
      // V8 writes and rewrites its own machine code.
      '--smc-check=all',
      `--callgrind-out-file=${path.join(dir, `${framework}-${variant}-${total}.out`)}`,
      process.execPath,
      // Garbage collection and JIT compilation on the main thread, not on helper threads whose timing
      // differs from run to run: two runs of the same server then agree within about 2 %.
      '--single-threaded',
      '--import',
      PIN_TICK_MAPS,
      SELF,
      '--server',
      framework,
      variant,
      String(total),
    ];
    const child = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (data) => (stderr += data));
    child.on('exit', (code) => {
      const collected = /Collected : (\d+)/.exec(stderr);
      if (code === 0 && collected) resolve(Number(collected[1]));
      else reject(new Error(`${framework}/${variant} under callgrind exited ${code}: ${stderr.split('\n').slice(-5).join(' ')}`));
    });
  });
}

/** Runs the jobs `PARALLEL` at a time. */
async function inParallel(jobs) {
  const results = new Array(jobs.length);
  let nextJob = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (nextJob < jobs.length) {
        const i = nextJob++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

export async function run({ quick }) {
  const missing = valgrindMissing();
  if (missing) {
    console.log(`HTTP instructions: ${missing}`);
    return { results: [], goals: [{ goal: 'http-instructions suite ran', value: missing, pass: false }] };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'modelwatch-callgrind-'));
  const results = [];
  const lines = [];
  try {
    for (const [framework, variants] of Object.entries(VARIANTS)) {
      const [fewer, more] = REQUESTS[framework][quick ? 'quick' : 'full'];
      const jobs = variants.flatMap((v) => [() => count(framework, v, fewer, dir), () => count(framework, v, more, dir)]);
      const counts = await inParallel(jobs);
      const perRequest = Object.fromEntries(variants.map((v, i) => [v, (counts[2 * i + 1] - counts[2 * i]) / (more - fewer)]));
      const ratio = (v) => perRequest.bare / perRequest[v];
      printTable(
        `HTTP instructions — ${framework} 5 hello world under callgrind: the server's user-space instructions per request, (run of ${more} − run of ${fewer} requests) ÷ ${more - fewer}; ${IN_FLIGHT} in flight`,
        ['variant', 'instructions/request', 'more than bare', 'bare ÷ this', 'more than minimal'],
        variants.map((v) => [
          v,
          Math.round(perRequest[v]).toLocaleString('en-US'),
          v === 'bare' ? '' : `+${Math.round(perRequest[v] - perRequest.bare).toLocaleString('en-US')}`,
          v === 'bare' ? '' : `${ratio(v).toFixed(3)}×`,
          v === 'bare' || v === 'minimal' ? '' : `${perRequest[v] >= perRequest.minimal ? '+' : ''}${Math.round(perRequest[v] - perRequest.minimal).toLocaleString('en-US')}`,
        ]),
      );
      for (const v of variants) {
        results.push({ suite: 'http-instructions', name: `${framework} ${v} instructions per request`, value: perRequest[v], unit: 'instructions', peers: v === 'modelwatch' ? { bare: perRequest.bare, minimal: perRequest.minimal } : {}, ratioToBare: ratio(v) });
      }
      lines.push(`${framework}: bare ÷ Modelwatch ${ratio('modelwatch').toFixed(3)}×, bare ÷ minimal ${ratio('minimal').toFixed(3)}× (Modelwatch ${Math.round(perRequest.modelwatch - perRequest.minimal).toLocaleString('en-US')} instructions a request beside minimal)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('  user space only: the kernel\'s share of a request (loopback TCP) is not counted, so these ratios are lower than throughput ratios would be');
  return { results, goals: [], info: lines.join('; ') };
}

const argv = process.argv;
if (argv[1] === SELF && argv[2] === '--server') await server(argv[3], argv[4], Number(argv[5]));
else if (argv[1] === SELF && argv[2] === '--client') client(Number(argv[3]), Number(argv[4]));
