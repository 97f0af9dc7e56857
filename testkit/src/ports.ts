/**
 * Loopback ports. Every process of the stack listens on 127.0.0.1 only, so
 * "free" always means "free on 127.0.0.1".
 *
 * Tests ask for any free port (`freePort`); `npm start` uses fixed, documented
 * ports that the user can change, and a taken one must say which variable to
 * set instead of failing later with a child's "address already in use".
 */
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A fixed port the user asked for (or the default) is taken by something else. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly envVar: string | undefined,
    readonly suggestion: number | undefined,
  ) {
    const hint = envVar ? ` — set ${envVar}=${suggestion ?? '<another port>'} (or any free port) to use another one` : '';
    super(`port ${port} is in use${hint}`);
    this.name = 'PortInUseError';
  }
}

/** A port the kernel just handed out on 127.0.0.1 (free now; a race remains until the child binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether nothing listens on `port` at 127.0.0.1 (tries to bind it, then lets go). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ port, host: LOOPBACK, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Resolves when `port` is free; otherwise throws a {@link PortInUseError}
 * naming `envVar` and suggesting a nearby free port.
 */
export async function assertPortFree(port: number, envVar?: string): Promise<void> {
  if (await isPortFree(port)) return;
  let suggestion: number | undefined;
  for (let candidate = port + 100; candidate < port + 110 && candidate < 65536; candidate++) {
    if (await isPortFree(candidate)) {
      suggestion = candidate;
      break;
    }
  }
  throw new PortInUseError(port, envVar, suggestion);
}

/**
 * The port a setting names: `value` (from the environment) when set, else the
 * default. Rejects anything that is not a TCP port number, naming the variable.
 */
export function portFromEnv(envVar: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[envVar];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${envVar}=${raw} is not a TCP port (1-65535)`);
  return port;
}

/** How often a launch on a kernel-chosen port is retried when another process took the port meanwhile. */
const PORT_ATTEMPTS = 3;

/**
 * Runs `launch` on a port: `fixed` when given (checked first, so a taken port
 * gets the {@link PortInUseError} naming `envVar`), else a free one, picking
 * another when the child reports "address already in use" (the port was taken
 * between the check and the child's bind).
 */
export async function launchOnPort<T>(fixed: number | undefined, envVar: string | undefined, launch: (port: number) => Promise<T>): Promise<T> {
  if (fixed !== undefined) {
    await assertPortFree(fixed, envVar);
    return launch(fixed);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
    try {
      return await launch(await freePort());
    } catch (error) {
      lastError = error;
      if (!/address already in use/i.test(error instanceof Error ? error.message : String(error))) throw error;
    }
  }
  throw lastError;
}
