import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolveTool } from '@modelwatch/testkit';
import { freePort, waitForPort } from './ports';

export interface RedisServer {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: as abrupt as a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A throwaway `redis-server` on a free loopback port, without persistence. Throws with the install command when Redis is missing. */
export async function startRedis(): Promise<RedisServer> {
  const redisServer = resolveTool('redis-server');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const kill = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill, restart: start, stop: kill };
}
