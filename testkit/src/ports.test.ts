import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortInUseError, assertPortFree, freePort, isPortFree, launchOnPort, portFromEnv } from './ports';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Occupies a loopback port, as another program would. */
async function occupy(): Promise<number> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('ports', () => {
  it('tells a free port from a taken one', async () => {
    expect(await isPortFree(await freePort())).toBe(true);
    expect(await isPortFree(await occupy())).toBe(false);
  });

  it('says which variable to set when a configured port is in use, with a free suggestion', async () => {
    const port = await occupy();
    const error = await assertPortFree(port, 'PROMETHEUS_PORT').catch((e: unknown) => e as PortInUseError);
    expect(error).toBeInstanceOf(PortInUseError);
    expect(error?.message).toMatch(new RegExp(`^port ${port} is in use — set PROMETHEUS_PORT=\\d+ \\(or any free port\\) to use another one$`));
    expect(await isPortFree(error!.suggestion!)).toBe(true);
  });

  it('never starts the launch on a taken fixed port', async () => {
    const port = await occupy();
    let launched = false;
    await expect(launchOnPort(port, 'SINK_PORT', async () => (launched = true))).rejects.toThrow(`port ${port} is in use — set SINK_PORT=`);
    expect(launched).toBe(false);
  });

  it('retries another free port when the child found its port taken', async () => {
    const tried: number[] = [];
    const result = await launchOnPort(undefined, undefined, async (port) => {
      tried.push(port);
      if (tried.length === 1) throw new Error('listen tcp 127.0.0.1: bind: address already in use');
      return port;
    });
    expect(tried).toHaveLength(2);
    expect(result).toBe(tried[1]);
  });

  it('reads ports from the environment, rejecting what is not a port', () => {
    expect(portFromEnv('DEMO_PORT', 8080, {})).toBe(8080);
    expect(portFromEnv('DEMO_PORT', 8080, { DEMO_PORT: '18080' })).toBe(18080);
    expect(() => portFromEnv('DEMO_PORT', 8080, { DEMO_PORT: 'eighty' })).toThrow('DEMO_PORT=eighty is not a TCP port (1-65535)');
    expect(() => portFromEnv('DEMO_PORT', 8080, { DEMO_PORT: '70000' })).toThrow('not a TCP port');
  });
});
