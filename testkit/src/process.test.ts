import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, PROCESS_TREE, READY_SERVER, pidsFrom } from './__fixtures__/helpers';
import { expectAllGone, runNode, survivors } from './children';
import { guardedGroups } from './orphan-guard';
import { freePort } from './ports';
import { ProcessStartError, startProcess, type ManagedProcess } from './process';
import { waitFor } from './wait';

const started: ManagedProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

async function startTree(mode?: 'stubborn', stopGraceMs?: number): Promise<{ tree: ManagedProcess; pids: number[] }> {
  const tree = await startProcess({ name: 'tree', command: process.execPath, args: [PROCESS_TREE, ...(mode ? [mode] : [])], stopGraceMs });
  started.push(tree);
  const pids = await waitFor(() => pidsFrom(tree.logs()), 10_000, { description: 'the tree printed its pids' });
  return { tree, pids };
}

describe('startProcess', () => {
  it('resolves once the HTTP readiness probe answers 200, in its own process group', async () => {
    const port = await freePort();
    const child = await startProcess({
      name: 'stand-in',
      command: process.execPath,
      args: [READY_SERVER],
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
      ready: { url: `http://127.0.0.1:${port}/readyz` },
    });
    started.push(child);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(child.groupPids()).toEqual([child.pid]);
    expect(guardedGroups()).toContain(child.pid);
    await child.stop();
    expect(child.running()).toBe(false);
    expect(guardedGroups()).not.toContain(child.pid);
    expect(child.logs()).toContain('ready server: SIGTERM, closing');
  });

  it('fails with the exit status and the last output when the child dies before it is ready', async () => {
    const error = await startProcess({
      name: 'doomed',
      command: process.execPath,
      args: ['-e', 'console.error("cannot open config: no such file"); process.exit(2)'],
      ready: { url: 'http://127.0.0.1:1/never' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProcessStartError);
    expect((error as Error).message).toMatch(/doomed exited \(code 2\) before it was ready[\s\S]*cannot open config: no such file/);
  });

  it('fails naming the probe when the child never gets ready, and leaves nothing running', async () => {
    const error = await startProcess({
      name: 'silent',
      command: process.execPath,
      args: ['-e', 'console.log("pid " + process.pid); setInterval(() => {}, 1000)'],
      ready: { url: 'http://127.0.0.1:1/ready', timeoutMs: 500 },
    }).catch((e: unknown) => e as ProcessStartError);
    expect((error as Error).message).toMatch(/silent was not ready after 500 ms \(GET http:\/\/127.0.0.1:1\/ready → no answer\)/);
    const pid = Number(/pid (\d+)/.exec((error as ProcessStartError).logs)?.[1]);
    expect(survivors([pid])).toEqual([]);
  });

  it('says which command could not be run', async () => {
    await expect(startProcess({ name: 'ghost', command: '/nonexistent/binary' })).rejects.toThrow(/ghost: could not run \/nonexistent\/binary[\s\S]*ENOENT/);
  });

  it('writes prefixed lines to a stream or a file', async () => {
    const stream = new PassThrough();
    let streamed = '';
    stream.on('data', (chunk: Buffer) => (streamed += chunk.toString()));
    const dir = mkdtempSync(join(tmpdir(), 'stack-log-'));
    try {
      const file = join(dir, 'sub', 'run.log');
      for (const log of [stream, file]) {
        const child = await startProcess({ name: 'talker', command: process.execPath, args: ['-e', 'console.log("one\\ntwo"); process.stdout.write("three")'], log });
        await child.exited;
        await child.stop();
      }
      expect(streamed).toBe('[talker] one\n[talker] two\n[talker] three\n');
      expect(readFileSync(file, 'utf8')).toBe('[talker] one\n[talker] two\n[talker] three\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stopping a process group', () => {
  it('ends the child and its grandchildren with SIGTERM', async () => {
    const { tree, pids } = await startTree();
    expect(pids).toHaveLength(4);
    expect(survivors(pids)).toEqual(pids);
    expect(tree.groupPids().sort()).toEqual([...pids].sort());
    const info = await tree.stop();
    expect(info.signal).toBe('SIGTERM');
    await expectAllGone(pids);
  });

  it('SIGKILLs a tree that ignores SIGTERM once the grace period is over', async () => {
    const { tree, pids } = await startTree('stubborn', 300);
    const before = Date.now();
    const info = await tree.stop();
    expect(Date.now() - before).toBeGreaterThanOrEqual(300);
    expect(info.signal).toBe('SIGKILL');
    expect(tree.logs()).toContain('tree: ignoring SIGTERM');
    await expectAllGone(pids);
  });

  it('also ends the grandchildren when the child has exited on its own', async () => {
    const { tree, pids } = await startTree();
    process.kill(tree.pid, 'SIGKILL');
    await tree.exited;
    expect(survivors(pids.slice(1))).toHaveLength(3);
    await tree.stop();
    await expectAllGone(pids);
  });
});

describe('the orphan guard', () => {
  // A parent (run with tsx) starts a tree through startProcess, prints the pids, then dies in one of three ways.
  it.each([
    ['an uncaught exception', 'throw', undefined],
    ['process.exit', 'exit', undefined],
    ['a SIGINT it does not handle (Ctrl-C)', 'wait', 'SIGINT'],
    ['a SIGTERM it does not handle', 'wait', 'SIGTERM'],
  ] as const)('leaves no process of the tree behind after %s', async (_name, how, signal) => {
    const parent = runNode(['--import', 'tsx', join(FIXTURES, 'crash-parent.ts'), how]);
    const pids = await waitFor(() => pidsFrom(parent.output()), 15_000, { description: 'crash-parent printed the pids' });
    if (signal) parent.child.kill(signal);
    const exit = await parent.exited;
    if (signal) expect(exit.signal).toBe(signal);
    else expect(exit.code).not.toBe(0);
    await expectAllGone(pids);
  });
});
