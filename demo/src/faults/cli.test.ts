import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, startTestService, type TestService } from '../test-support/service';
import { main } from './cli';

describe('fault CLI', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    await service?.close();
  });

  async function run(args: string[], env: NodeJS.ProcessEnv = { ADMIN_TOKEN }): Promise<string> {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await main([...args, '--target', service.url], env)).toBe(0);
      return log.mock.calls.map((call) => call.join(' ')).join('\n');
    } finally {
      log.mockRestore();
    }
  }

  it('injects, lists and heals faults through the admin API', async () => {
    const injected = await run(['latency_spike', '--provider', 'anthropic', '--latency', '2s', '--duration', '90s', '--probability', '0.5']);
    const id = /^injected latency_spike (\w+) until /.exec(injected)?.[1];
    expect(id).toBeDefined();
    expect(service.faults.list()).toMatchObject([{ id, kind: 'latency_spike', target: { provider: 'anthropic' }, durationSeconds: 90, params: { latencyMs: 2000, probability: 0.5 } }]);
    expect(JSON.parse(await run(['list']))).toMatchObject([{ id }]);
    expect(await run(['heal', id!])).toBe(`healed ${id}`);
    expect(service.faults.list()).toEqual([]);
  });

  it('explains a missing token, an unknown kind and a refused fault', async () => {
    await expect(main(['cpu_burn', '--target', service.url], {})).rejects.toThrow('No admin token: pass --token or set ADMIN_TOKEN');
    await expect(main(['meteor', '--target', service.url], { ADMIN_TOKEN })).rejects.toThrow('Unknown fault kind "meteor"');
    await expect(main(['http_errors', '--route', '/nope', '--target', service.url], { ADMIN_TOKEN })).rejects.toThrow('POST /admin/faults → 400: route must be one of');
    await expect(main(['cpu_burn', '--target', service.url, '--token', 'wrong'], {})).rejects.toThrow('POST /admin/faults → 401');
  });

  it('refuses to send the token to a non-loopback target', async () => {
    await expect(main(['cpu_burn', '--target', 'http://192.0.2.1:8080'], { ADMIN_TOKEN })).rejects.toThrow(/Refusing non-loopback target/);
  });
});
