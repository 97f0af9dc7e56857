/**
 * Smoke test of `npm start` (scripts/start.mjs) as a newcomer runs it: in a
 * copy of the repo that looks like a fresh clone (no build output, no data), on
 * non-default free ports. It must build, bring the demo up under Prometheus
 * and, on Ctrl-C, stop with exit code 0 leaving no process behind.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ActiveTarget, expectAllGone, freePort, processTree, runNode, waitFor } from '@modelwatch/testkit';
import { REPO_ROOT } from './repo';

const START = join(REPO_ROOT, 'scripts', 'start.mjs');

/**
 * The repo as a fresh clone has it: the files git tracks or would add, without
 * build output or data. The installed packages are hard-linked in (the copy sits
 * under the repo's git-ignored .data/, on the same filesystem) so the test
 * checks building and starting without downloading and compiling every
 * dependency again; the workspace links inside them are relative, so they
 * point at the copy's own workspaces.
 */
function cloneLikeCopy(): string {
  const parent = join(REPO_ROOT, '.data', 'start-test');
  mkdirSync(parent, { recursive: true });
  const dir = join(parent, `clone-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT }).toString().split('\0');
  for (const file of files.filter((f) => f && existsSync(join(REPO_ROOT, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(dir, file));
  }
  const installed = ['node_modules', ...readdirSync(REPO_ROOT).map((ws) => join(ws, 'node_modules'))];
  for (const modules of installed.filter((m) => existsSync(join(REPO_ROOT, m)) && existsSync(join(dir, dirname(m))))) {
    execFileSync('cp', ['-al', join(REPO_ROOT, modules), join(dir, modules)]);
  }
  return dir;
}

async function freePorts() {
  return { DEMO_PORT: await freePort(), PROMETHEUS_PORT: await freePort(), ALERTMANAGER_PORT: await freePort(), SINK_PORT: await freePort() };
}

describe('npm start (scripts/start.mjs)', () => {
  it('builds a fresh clone, brings the demo up under Prometheus, and leaves no process after Ctrl-C', { timeout: 600_000 }, async () => {
    const clone = cloneLikeCopy();
    expect(existsSync(join(clone, 'demo', 'dist')), 'the copy starts without build output').toBe(false);
    const ports = await freePorts();
    const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), START_DURATION: '480s', START_USERS: '2' };
    const start = runNode([join(clone, 'scripts', 'start.mjs')], { cwd: clone, env });
    try {
      await waitFor(() => start.output().includes('local stack is up') || start.child.exitCode !== null, 420_000, { intervalMs: 250, description: 'npm start printed its URLs' });
      const output = start.output();
      expect(output, output).toContain('local stack is up');
      const demoSkipped = /! demo left out: (.*)/.exec(output);
      if (demoSkipped) throw new Error(`npm start ran without the demo service: ${demoSkipped[1]}. This test passes once the demo/ workspace provides dist/service/main.js (built by \`npm run build\`).`);
      for (const [name, port] of [['Demo service', ports.DEMO_PORT], ['Prometheus', ports.PROMETHEUS_PORT], ['Alertmanager', ports.ALERTMANAGER_PORT], ['Notifications', ports.SINK_PORT]] as const) {
        expect(output).toMatch(new RegExp(`${name} +http://127\\.0\\.0\\.1:${port}`));
      }

      const prometheus = `http://127.0.0.1:${ports.PROMETHEUS_PORT}`;
      let seen: ActiveTarget[] = [];
      await waitFor(
        async () => {
          const body = (await (await fetch(`${prometheus}/api/v1/targets?state=active`)).json()) as { data: { activeTargets: ActiveTarget[] } };
          seen = body.data.activeTargets.filter((t) => t.labels.job === 'demo');
          return seen.length > 0 && seen.every((t) => t.health === 'up');
        },
        60_000,
        { intervalMs: 500, description: 'Prometheus reports the demo target up' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}: ${JSON.stringify(seen.map((t) => [t.scrapeUrl, t.health, t.lastError]))}\n${start.output()}`);
      });

      const pids = processTree(start.child.pid!);
      expect(pids.length).toBeGreaterThanOrEqual(5); // start.mjs, demo, Prometheus, Alertmanager, traffic
      start.child.kill('SIGINT');
      const exit = await start.exited;
      expect(exit, start.output()).toEqual({ code: 0, signal: null });
      expect(start.output()).toMatch(/SIGINT received — stopping …\nStopped: all \d+ processes ended\./);
      await expectAllGone(pids);
      expect(existsSync(join(clone, 'demo', 'dist', 'service', 'main.js')), 'npm start built the demo inside the copy').toBe(true);
    } finally {
      if (start.child.exitCode === null) start.child.kill('SIGINT');
      await start.exited;
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('says which variable to set when a port is taken, and starts nothing', { timeout: 120_000 }, async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const ports = await freePorts();
      const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), PROMETHEUS_PORT: String(taken) };
      const start = runNode([START], { cwd: REPO_ROOT, env });
      const exit = await start.exited;
      expect(exit.code, start.output()).toBe(1);
      expect(start.output()).toMatch(new RegExp(`port ${taken} is in use — set PROMETHEUS_PORT=\\d+ \\(or any free port\\) to use another one`));
      expect(start.output()).not.toContain('local stack is up');
    } finally {
      blocker.close();
    }
  });
});
