import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The built entry point the launcher runs. */
export const MAIN = join(__dirname, '..', '..', 'dist', 'service', 'main.js');

export interface MainProcess {
  readonly child: ChildProcess;
  /** Every JSON log line printed so far. */
  readonly lines: Record<string, unknown>[];
  /** The URL from the "service listening" line. */
  readonly url: string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `node dist/service/main.js` with `env` on top of a quiet test setup; resolves once it listens. */
export async function startMain(env: NodeJS.ProcessEnv = {}): Promise<MainProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx tsc -b demo\` first`);
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', DATA_DIR: ':memory:', FAKE_PROVIDER_TIME_SCALE: '0.01', LOG_LEVEL: 'info', ADMIN_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      lines.push(entry);
      if (entry.message === 'service listening') resolve(entry.url as string);
    });
    void exited.then((code) => reject(new Error(`exited with ${code} before listening`)));
  });
  return {
    child,
    lines,
    url,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
