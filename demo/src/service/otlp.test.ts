import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '../test-support/http';
import { startMain } from '../test-support/main-process';

interface OtlpSpan {
  name: string;
  traceId: string;
  parentSpanId?: string;
  spanId: string;
}
interface OtlpExport {
  resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
}

/** A loopback OTLP/HTTP receiver standing in for the collector: keeps every span it is sent. */
describe('spans over OTLP/HTTP', () => {
  const spans: OtlpSpan[] = [];
  let collector: Server;
  let endpoint: string;

  beforeAll(async () => {
    collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          const batch = JSON.parse(body) as OtlpExport;
          spans.push(...batch.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('sends the request span and its model-call child to OTEL_EXPORTER_OTLP_ENDPOINT, flushed on shutdown', async () => {
    // A long batch delay: only the flush on SIGTERM can deliver the spans in time.
    const main = await startMain({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '600000' });
    expect((await post(`${main.url}/chat`, { prompt: 'Where is my parcel?', model: 'gpt-4o-mini' })).status).toBe(200);
    expect(await main.stop()).toBe(0);

    const request = spans.find((s) => s.name === 'POST /chat');
    expect(request, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    const modelCall = spans.find((s) => s.name === 'chat gpt-4o-mini');
    expect(modelCall, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(modelCall!.traceId).toBe(request!.traceId);
  });

  it('sends nothing with OTEL_SDK_DISABLED=true, and the service still answers and records its metrics', async () => {
    spans.length = 0;
    const main = await startMain({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_SDK_DISABLED: 'true' });
    expect((await post(`${main.url}/chat`, { prompt: 'Where is my parcel?', model: 'gpt-4o-mini' })).status).toBe(200);
    const metrics = await (await fetch(`${main.url}/metrics`)).text();
    expect(metrics).toMatch(/^http_server_request_duration_seconds_count\{http_request_method="POST",http_route="\/chat",http_response_status_code="200"\} 1$/m);
    expect(await main.stop()).toBe(0);

    expect(spans.map((s) => s.name)).toEqual([]);
  });
});
