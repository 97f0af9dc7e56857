import { Writable } from 'node:stream';
import winston from 'winston';
import { createLogger } from '@modelwatch/exporter/winston';
import { startDemoService, type DemoService, type DemoServiceOptions } from '../service';
import { Scrape } from './exposition';

export const ADMIN_TOKEN = 'test-admin-token';

export interface TestService extends DemoService {
  /** Every log line written so far, parsed. */
  logs: Record<string, unknown>[];
  scrape(): Promise<Scrape>;
}

/**
 * The real service on a free loopback port with embedded fake providers 100×
 * faster than life, SQLite in memory, the admin API on, and logs captured.
 */
export async function startTestService(options: DemoServiceOptions = {}): Promise<TestService> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ service: 'modelwatch-demo', level: 'debug', transports: new winston.transports.Stream({ stream: sink }) });
  const service = await startDemoService({ port: 0, fakeTimeScale: 0.01, dataDir: ':memory:', adminToken: ADMIN_TOKEN, logger, ...options });
  return Object.assign(service, {
    logs,
    scrape: async () => {
      const response = await fetch(`${service.url}/metrics`);
      return Scrape.parse(await response.text());
    },
  });
}

export function adminHeaders(token = ADMIN_TOKEN): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
