import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveTool } from '@modelwatch/testkit';
import { freePort, waitForPort } from './ports';


export interface PostgresCluster {
  url: string;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL cluster: initdb in a temp dir, pg_ctl on a free
 * loopback port, trust auth. PostgreSQL refuses to run as root, so as root it
 * runs as the `postgres` user (created by the Debian package) through runuser.
 */
export async function startPostgres(): Promise<PostgresCluster> {
  // Throw with the install command when PostgreSQL is missing.
  const programs = { initdb: resolveTool('initdb'), pg_ctl: resolveTool('pg_ctl') };
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const run = (command: keyof typeof programs, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', programs[command], ...args], { stdio: 'pipe' }) : execFileSync(programs[command], args, { stdio: 'pipe' });

  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  await waitForPort(port);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
