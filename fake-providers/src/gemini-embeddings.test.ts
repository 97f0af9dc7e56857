import type { ApiError } from '@google/genai' with { 'resolution-mode': 'import' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, thrown, type TestRig } from './test-support/clients';

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.providers.close());

const norm = (values: readonly number[] | undefined) => Math.sqrt((values ?? []).reduce((sum, value) => sum + value * value, 0));

describe('gemini embeddings', () => {
  it('answers batchEmbedContents (what embedContent calls) with one unit vector per text and the prompt tokens in usageMetadata', async () => {
    const response = await rig.gemini.models.embedContent({ model: 'gemini-embedding-001', contents: ['What is your name?', 'Blue'] });
    expect(response.embeddings).toHaveLength(2);
    expect(response.embeddings?.[0]?.values).toHaveLength(32);
    expect(norm(response.embeddings?.[0]?.values)).toBeCloseTo(1, 6);
    // "What is your name?" is 18 characters (5 tokens), "Blue" 4 (1 token).
    expect(response.usageMetadata).toEqual({ promptTokenCount: 6, totalTokenCount: 6 });
    expect(rig.providers.requests.at(-1)).toMatchObject({ provider: 'gemini', path: 'POST /gemini/v1/models/gemini-embedding-001:batchEmbedContents', model: 'gemini-embedding-001', status: 200 });
  });

  it('gives the same text the same vector, in the length outputDimensionality asks for', async () => {
    const embed = (contents: string[]) => rig.gemini.models.embedContent({ model: 'gemini-embedding-001', contents, config: { outputDimensionality: 8 } });
    const [a, b] = await Promise.all([embed(['same text']), embed(['other', 'same text'])]);
    expect(a.embeddings?.[0]?.values).toHaveLength(8);
    expect(b.embeddings?.[1]?.values).toEqual(a.embeddings?.[0]?.values);
    expect(b.embeddings?.[0]?.values).not.toEqual(a.embeddings?.[0]?.values);
  });

  it('serves embedContent for one content over plain HTTP', async () => {
    const response = await fetch(`${rig.providers.geminiBaseUrl}/v1beta/models/gemini-embedding-001:embedContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: { parts: [{ text: 'Blue' }] } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { embedding: { values: number[] }; usageMetadata: unknown };
    expect(body.embedding.values).toHaveLength(32);
    expect(body.usageMetadata).toEqual({ promptTokenCount: 1, totalTokenCount: 1 });
  });

  it('refuses an empty text and a chat model with Google RPC errors', async () => {
    const empty = await thrown(() => rig.gemini.models.embedContent({ model: 'gemini-embedding-001', contents: [''] }));
    expect(empty).toMatchObject({ name: 'ApiError', status: 400 });
    expect(JSON.parse((empty as ApiError).message).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
    const chat = await thrown(() => rig.gemini.models.embedContent({ model: 'gemini-2.5-flash', contents: ['Blue'] }));
    expect((chat as ApiError).status).toBe(404);
  });

  it('answers an unknown Gemini path with a 404 in the same shape', async () => {
    const response = await fetch(`${rig.providers.geminiBaseUrl}/v1beta/models/gemini-2.5-flash:countTokens`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { status: string } }).error.status).toBe('NOT_FOUND');
  });
});
