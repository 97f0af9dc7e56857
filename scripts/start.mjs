#!/usr/bin/env node
// `npm start`: the whole local stack on this machine, no Docker — the demo AI
// service under steady traffic, Prometheus and Alertmanager with the repo's
// configs (config/), a notification sink standing in for PagerDuty and
// Slack, and the Grafana app's pages in the preview harness. Works on a fresh
// clone: installs dependencies if missing, installs Prometheus and Alertmanager from
// Debian when it may (root or `sudo -n`; MODELWATCH_NO_INSTALL=1 never does), and
// builds first. Ctrl-C (or SIGTERM) stops everything and waits for every process.
//
// Options (flags after `npm start --`, or environment):
//   --duration 30s | START_DURATION=30s   stop by itself after that long
//   --users N      | START_USERS=N        traffic virtual users (default 10)
//   --no-traffic                          no traffic generator
//   --ha           | START_HA=1           two Alertmanagers peered by gossip, Prometheus sending to both
//   --scale        | START_SCALE=1        the scale path instead of Prometheus: vmagent shards scrape,
//                                         VictoriaMetrics stores, vmalert runs the same rules (docs/scaling.md)
//   --shards N     | START_SHARDS=N       vmagent shards on the scale path (default 2)
//   --alertmanager-peer host:port         (repeatable) also join this Alertmanager's gossip; the start fails
//                                         when a peer does not answer
//   DEMO_PORT=8080 PROMETHEUS_PORT=9090 ALERTMANAGER_PORT=9093 SINK_PORT=9099
//   PREVIEW_PORT=3001                     the app preview (Grafana app pages outside Grafana)
//   ADMIN_TOKEN=...                       fault-injection token (default: random, printed)
//   FAKE_PROVIDER_TIME_SCALE=1            fake model latency scale (passed to the demo): 1 is realistic (the
//                                         default), 0.1 ten times faster
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { root, run, setUp, tsc, workspaces } from './setup.mjs';

const DEFAULT_USERS = 10;
const DEFAULT_PREVIEW_PORT = 3001;
// The Grafana app plugin builds with webpack (its own toolchain), not tsc.
const PLUGIN_WORKSPACE = 'plugin';
const TRAFFIC_RUN_MAX_S = 7200;
const STATUS_EVERY_MS = { tty: 2_000, plain: 10_000 };

const { values: flags } = parseArgs({
  options: { duration: { type: 'string' }, users: { type: 'string' }, 'no-traffic': { type: 'boolean' }, ha: { type: 'boolean' }, scale: { type: 'boolean' }, shards: { type: 'string' }, 'alertmanager-peer': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
});
if (flags.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1).filter((line, i, lines) => lines.slice(0, i + 1).every((l) => l.startsWith('//'))).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

// The launcher and the tools first (the launcher checks the ports, so a taken port is reported before a long build), then the rest.
const { stack: lib } = await setUp('start');
const settings = await readSettings(lib);
tsc(workspaces.filter((ws) => ws !== 'stack' && ws !== PLUGIN_WORKSPACE && existsSync(join(root, ws, 'tsconfig.json'))));
buildPlugin();
await main(lib, settings);

/** The plugin and its preview bundle, when the bundle is missing or older than the plugin's sources. */
function buildPlugin() {
  const pluginDir = join(root, PLUGIN_WORKSPACE);
  if (!workspaces.includes(PLUGIN_WORKSPACE) || !existsSync(pluginDir)) return;
  const bundle = join(pluginDir, 'dist-preview', 'preview.js');
  const newest = (dir) =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const sources = Math.max(newest(join(pluginDir, 'src')), newest(join(pluginDir, 'preview')));
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= sources) return;
  run('Building the Grafana app plugin and its preview', 'npm', ['run', 'build', '--silent', '-w', JSON.parse(readFileSync(join(pluginDir, 'package.json'), 'utf8')).name]);
}

/** Flags and environment, checked (ports included) before the build. */
async function readSettings({ parseDuration, portFromEnv, assertPortsFree, assertPortFree, assertScaleOptions, DEFAULT_PORTS, PORT_ENV_VARS, PREVIEW_PORT_ENV_VAR }) {
  const env = process.env;
  try {
    const duration = flags.duration ?? env.START_DURATION;
    const users = Number(flags.users ?? env.START_USERS ?? DEFAULT_USERS);
    if (!Number.isInteger(users) || users < 1) throw new Error(`traffic users must be a positive integer, got ${flags.users ?? env.START_USERS}`);
    const ports = Object.fromEntries(Object.keys(DEFAULT_PORTS).map((part) => [part, portFromEnv(PORT_ENV_VARS[part], DEFAULT_PORTS[part], env)]));
    await assertPortsFree(ports);
    const previewPort = portFromEnv(PREVIEW_PORT_ENV_VAR, DEFAULT_PREVIEW_PORT, env);
    await assertPortFree(previewPort, PREVIEW_PORT_ENV_VAR);
    // A peer only means something to a cluster: naming one asks for HA.
    const ha = flags.ha === true || env.START_HA === '1' || (flags['alertmanager-peer'] ?? []).length > 0;
    const shards = flags.shards ?? env.START_SHARDS;
    // Shards only mean something on the scale path: naming them asks for it.
    const scale = flags.scale === true || env.START_SCALE === '1' || shards !== undefined ? { shards: shards === undefined ? undefined : Number(shards) } : false;
    if (scale) assertScaleOptions(scale);
    return { durationMs: duration ? parseDuration(duration) : undefined, users, ports, previewPort, ha, scale };
  } catch (error) {
    return fail(error);
  }
}

async function main(stackLib, { durationMs, users, ports, previewPort, ha, scale }) {
  const { startStack, readStatus, formatStatus, formatDelivery, isAlive } = stackLib;
  const env = process.env;

  const ui = createUi(process.stdout.isTTY === true);
  const logFile = join(root, '.data', 'start', 'stack.log');
  mkdirSync(join(root, '.data', 'start'), { recursive: true });
  const log = createWriteStream(logFile, { flags: 'w' });

  let stack;
  let stopping = false;
  const stop = async (reason) => {
    if (stopping) return;
    stopping = true;
    ui.clearStatus();
    console.log(`\n${reason} — stopping …`);
    const pids = [stack.demo, stack.prometheus, ...scaleParts(stack), ...stack.alertmanagers, stack.traffic, stack.preview].flatMap((part) => part?.process.groupPids() ?? []);
    await stack.stop();
    await new Promise((resolve) => log.end(resolve));
    const left = pids.filter(isAlive);
    if (left.length > 0) {
      console.error(`Stopped, but ${left.length} process(es) still run: ${left.join(', ')}`);
      process.exit(1);
    }
    console.log(`Stopped: all ${pids.length} processes ended.`);
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      // During startup, or a second Ctrl-C: exit now; the exit hook of @modelwatch/stack ends every child.
      if (!stack || stopping) process.exit(130);
      void stop(`${signal} received`);
    });
  }

  console.log('Starting the local stack …');
  try {
    stack = await startStack({
      ports,
      log,
      demo: {
        adminToken: env.ADMIN_TOKEN || undefined,
        // The demo's own default is realistic model latency (its objectives in demo/slos.yaml are set for it).
        ...(env.FAKE_PROVIDER_TIME_SCALE ? { timeScale: Number(env.FAKE_PROVIDER_TIME_SCALE) } : {}),
      },
      // One run is capped (2 h by the demo's CLI); `loop` starts the next, so traffic lasts as long as the stack.
      traffic: flags['no-traffic'] ? false : { scenario: 'baseline', users, duration: `${Math.min(TRAFFIC_RUN_MAX_S, Math.ceil((durationMs ?? Infinity) / 1000) + 60)}s`, loop: true },
      preview: { port: previewPort },
      alertmanagerHa: ha && { peers: flags['alertmanager-peer'] ?? [] },
      scale,
      onDelivery: (delivery) => ui.line(`  notification ${formatDelivery(delivery)}`),
      onSkip: (part, reason) => console.warn(`! ${part} left out: ${reason}`),
    });
  } catch (error) {
    fail(error);
  }

  const { urls } = stack;
  const row = (name, value, note = '') => value && console.log(`  ${name.padEnd(17)}${value}${note ? `   ${note}` : ''}`);
  console.log('\nModelwatch local stack is up — Ctrl-C stops everything');
  row('Demo service', urls.demo, stack.demo && `(fault-injection ADMIN_TOKEN=${stack.demo.adminToken})`);
  row('Metrics', urls.metrics);
  row('Prometheus', urls.prometheus);
  row('VictoriaMetrics', urls.victoriaMetrics, stack.scale && `(scraped by ${stack.scale.vmagents.length} vmagent shards)`);
  row('vmalert', urls.vmalert);
  row('Alertmanager', urls.alertmanager, urls.alertmanagerPeers && `(HA, peered with ${urls.alertmanagerPeers.join(', ')})`);
  row('App preview', urls.preview, '(the Grafana app pages, outside Grafana)');
  row('Notifications', urls.deliveries, '(PagerDuty + Slack stand-in; each delivery is printed below)');
  row('Traffic', stack.traffic && `baseline scenario, ${users} users`);
  row('Logs', relative(process.cwd(), logFile) || logFile);
  if (durationMs !== undefined) row('Stops after', `${durationMs / 1000}s`);
  console.log('');

  for (const part of [stack.demo, stack.prometheus, ...scaleParts(stack), ...stack.alertmanagers, stack.traffic, stack.preview]) {
    if (!part) continue;
    // The traffic loop's `exited` settles only when a run fails; a part's process, when it dies.
    void (part === stack.traffic ? part.exited : part.process.exited).then((info) => {
      if (stopping) return;
      const how = info.signal ?? `code ${info.code}`;
      ui.line(`! ${part.process.name} exited (${how}) — see ${relative(process.cwd(), logFile)}`);
    });
  }

  const refresh = async () => {
    if (stopping) return;
    const status = await readStatus(stack);
    if (!stopping) ui.status(formatStatus(status));
  };
  await refresh();
  setInterval(refresh, ui.tty ? STATUS_EVERY_MS.tty : STATUS_EVERY_MS.plain);
  if (durationMs !== undefined) setTimeout(() => void stop(`${durationMs / 1000}s are over`), durationMs);
}

/** The processes of the scale path, when it runs. */
function scaleParts(stack) {
  return stack.scale ? [stack.scale.victoriaMetrics, ...stack.scale.vmagents, stack.scale.vmalert] : [];
}

/** A status line redrawn in place on a terminal; plain lines elsewhere (CI logs, pipes). */
function createUi(tty) {
  let current = '';
  const clear = () => tty && current && process.stdout.write('\r\x1b[2K');
  const draw = () => tty && current && process.stdout.write(current.slice(0, (process.stdout.columns || 120) - 1));
  return {
    tty,
    status(text) {
      if (!tty) return console.log(`status: ${text}`);
      clear();
      current = text;
      draw();
    },
    line(text) {
      clear();
      console.log(text);
      draw();
    },
    clearStatus() {
      clear();
      current = '';
    },
  };
}

function fail(error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
