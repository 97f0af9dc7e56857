import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, parseSse, post, request } from '../test-support/http';
import { startTestService, type TestService } from '../test-support/service';

let service: TestService;
beforeAll(async () => {
  service = await startTestService();
});
afterAll(async () => {
  await service?.close();
});

interface ChatBody {
  answer: string;
  model: string;
  provider: string;
  cached: boolean;
  failedOver: boolean;
  usage: { inputTokens: number; outputTokens: number };
}

describe('POST /chat', () => {
  it('answers with a fast model by default and reports tokens', async () => {
    const { status, body, headers } = await post<ChatBody>(`${service.url}/chat`, { prompt: 'Is shipping free for a 90 euro order?' });
    expect(status).toBe(200);
    expect(body.answer.length).toBeGreaterThan(0);
    expect(['gpt-4o-mini', 'claude-haiku-4-5']).toContain(body.model);
    expect(body).toMatchObject({ cached: false, failedOver: false });
    // The system prompt alone is over 1000 tokens.
    expect(body.usage.inputTokens).toBeGreaterThan(1000);
    expect(headers.get('x-cache')).toBe('miss');
  });

  it('routes premium requests to a premium model and honours a named model', async () => {
    const premium = await post<ChatBody>(`${service.url}/chat`, { prompt: 'Plan a 5-day trip in Norway', tier: 'premium' });
    expect(['gpt-4o', 'claude-sonnet-4-6']).toContain(premium.body.model);
    const named = await post<ChatBody>(`${service.url}/chat`, { prompt: 'Plan a 5-day trip in Norway', model: 'claude-sonnet-4-6' });
    expect(named.body).toMatchObject({ model: 'claude-sonnet-4-6', provider: 'anthropic' });
  });

  it('answers a repeated question from the cache, whatever its spacing and case', async () => {
    const first = await post<ChatBody>(`${service.url}/chat`, { prompt: 'How do I return an item?', userId: 'user-007' });
    const again = await post<ChatBody>(`${service.url}/chat`, { prompt: '  how do I return an ITEM ', userId: 'user-007' });
    expect(first.body.cached).toBe(false);
    expect(again.body).toMatchObject({ cached: true, answer: first.body.answer, model: first.body.model });
    expect(again.headers.get('x-cache')).toBe('hit');
  });

  it('streams server-sent events: text deltas, then the metadata', async () => {
    const response = await fetch(`${service.url}/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Which size should I pick for hiking boots?', stream: true, userId: 'user-003' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await response.text());
    const deltas = events.filter((event) => event.event === 'message');
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { cached: false, failedOver: false } });

    const cached = parseSse(await (await fetch(`${service.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'which size should i pick for hiking boots', stream: true }) })).text());
    expect(cached.at(-1)).toMatchObject({ event: 'done', data: { cached: true } });
    const text = (list: typeof events) => list.filter((event) => event.event === 'message').map((event) => (event.data as { delta: string }).delta).join('');
    expect(text(cached)).toBe(text(events));
  });

  it.each([
    [{}, 'prompt must be a non-empty string'],
    [{ prompt: '   ' }, 'prompt must be a non-empty string'],
    [{ prompt: 'x'.repeat(8001) }, 'prompt must be at most 8000 characters, got 8001'],
    [{ prompt: 'hi', model: 'gpt-9' }, 'model must be one of gpt-4o-mini, claude-haiku-4-5, gpt-4o, claude-sonnet-4-6, northwind-support-1'],
    [{ prompt: 'hi', tier: 'cheap' }, 'tier must be one of fast, premium'],
    [{ prompt: 'hi', stream: 'yes' }, 'stream must be true or false'],
    [{ prompt: 'hi', userId: '../etc' }, 'userId must be 1–64 letters, digits, "-" or "_"'],
    [[1, 2], 'Body must be a JSON object (Content-Type: application/json)'],
  ])('refuses %j with 400: %s', async (body, message) => {
    const response = await post(`${service.url}/chat`, body);
    expect(response).toMatchObject({ status: 400, body: { error: message } });
  });

  it('answers 404 for an unknown user, before spending on a model', async () => {
    expect(await post(`${service.url}/chat`, { prompt: 'hi', userId: 'nobody' })).toMatchObject({ status: 404, body: { error: 'Unknown user "nobody"' } });
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await request('POST', `${service.url}/chat`, '{"prompt": ', { 'content-type': 'application/json' });
    expect(response).toMatchObject({ status: 400, body: { error: 'Request body is not valid JSON' } });
  });
});

describe('POST /embeddings', () => {
  it('returns one vector per text', async () => {
    const { status, body } = await post<{ model: string; data: { index: number; embedding: number[] }[]; usage: { inputTokens: number } }>(`${service.url}/embeddings`, {
      texts: ['waterproof tent', 'down jacket'],
    });
    expect(status).toBe(200);
    expect(body.model).toBe('text-embedding-3-small');
    expect(body.data.map((item) => item.index)).toEqual([0, 1]);
    expect(body.data[0]!.embedding.length).toBeGreaterThan(0);
    expect(body.usage.inputTokens).toBeGreaterThan(0);
  });

  it.each([
    [{ texts: [] }, 'texts must be a non-empty array of strings'],
    [{ texts: ['ok', 3] }, 'texts[1] must be a non-empty string'],
    [{ texts: Array.from({ length: 65 }, () => 'a') }, 'texts must hold at most 64 strings, got 65'],
  ])('refuses %j with 400', async (body, message) => {
    expect(await post(`${service.url}/embeddings`, body)).toMatchObject({ status: 400, body: { error: message } });
  });
});

describe('GET /recommendations', () => {
  it('recommends articles from the user’s history and caches the pitch', async () => {
    for (const prompt of ['I want to return my tent', 'How long does a refund take?', 'Where is my parcel?']) {
      await post(`${service.url}/chat`, { prompt, userId: 'user-042' });
    }
    const first = await get<{ topics: string[]; articles: { id: string; topic: string }[]; summary: string; cached: boolean }>(`${service.url}/recommendations?userId=user-042`);
    expect(first.status).toBe(200);
    expect(first.body.topics).toEqual(['returns', 'shipping']);
    expect(first.body.articles.map((article) => article.topic).slice(0, 3)).toEqual(['returns', 'returns', 'shipping']);
    expect(first.body.summary.length).toBeGreaterThan(0);
    expect(first.body.cached).toBe(false);
    const again = await get(`${service.url}/recommendations?userId=user-042`);
    expect(again.body).toMatchObject({ cached: true, summary: first.body.summary });
  });

  it('answers 400 without a userId and 404 for an unknown user', async () => {
    expect(await get(`${service.url}/recommendations`)).toMatchObject({ status: 400, body: { error: 'userId is required' } });
    expect(await get(`${service.url}/recommendations?userId=nobody`)).toMatchObject({ status: 404, body: { error: 'Unknown user "nobody"' } });
  });
});

describe('health and errors', () => {
  it('reports liveness and readiness', async () => {
    expect(await get(`${service.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await get(`${service.url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', db: 'sqlite', cache: 'memory' } });
  });

  it('says clearly when its port is taken', async () => {
    const port = Number(new URL(service.url).port);
    await expect(startTestService({ port })).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use: stop the other process or set PORT`);
  });

  it('answers unknown routes with a JSON 404', async () => {
    expect(await get(`${service.url}/nope/123`)).toMatchObject({ status: 404, body: { error: 'No route GET /nope/123' } });
  });
});

describe('logs', () => {
  it('writes JSON access and AI-call lines with trace ids, never the prompt', async () => {
    const secretPrompt = 'My unique question about zebra-striped gaiters 81723';
    await post(`${service.url}/chat`, { prompt: secretPrompt, userId: 'user-001' });
    const lines = service.logs;
    expect(JSON.stringify(lines)).not.toContain('zebra-striped');
    const access = lines.filter((line) => line.message === 'http request' && line['http.route'] === '/chat');
    expect(access.length).toBeGreaterThan(0);
    expect(access.at(-1)).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 200, service: 'modelwatch-demo' });
    expect(access.at(-1)?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const aiCall = lines.filter((line) => line.message === 'ai call').at(-1);
    expect(aiCall).toMatchObject({ 'gen_ai.operation.name': 'chat' });
    expect(aiCall?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('announces itself with one "service listening" line holding its url', () => {
    const listening = service.logs.filter((line) => line.message === 'service listening');
    expect(listening).toHaveLength(1);
    expect(listening[0]).toMatchObject({ url: service.url, db: 'sqlite', cache: 'memory', admin_api: 'enabled' });
  });
});
