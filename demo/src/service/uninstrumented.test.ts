import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post } from '../test-support/http';
import { startTestService, type TestService } from '../test-support/service';

let service: TestService;
beforeAll(async () => {
  service = await startTestService({ instrumentation: false });
});
afterAll(async () => {
  await service?.close();
});

describe('the service with instrumentation off (the bench baseline)', () => {
  it('answers a repeated question from the cache, as the instrumented service does', async () => {
    const first = await post<{ cached: boolean; answer: string }>(`${service.url}/chat`, { prompt: 'Can I change my delivery address?' });
    const again = await post<{ cached: boolean; answer: string }>(`${service.url}/chat`, { prompt: 'can I change my delivery address?' });
    expect(first.status).toBe(200);
    expect(first.body.cached).toBe(false);
    expect(again.body).toMatchObject({ cached: true, answer: first.body.answer });
    expect(again.headers.get('x-cache')).toBe('hit');
  });

  it('records nothing and serves no metrics', async () => {
    expect((await get(`${service.url}/metrics`)).status).toBe(404);
    const exposition = await service.mw.metrics();
    expect(exposition).not.toMatch(/^(http_server_request_duration_seconds|gen_ai_client_token_usage|modelwatch_cache_requests_total|db_client_operation_duration_seconds)/m);
    expect(service.logs.filter((line) => line.message === 'http request')).toEqual([]);
  });
});
