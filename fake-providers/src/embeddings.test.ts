import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, thrown, type TestRig } from './test-support/clients';

let rig: TestRig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(() => rig.providers.close());

const norm = (vector: readonly number[]) => Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));

describe('embeddings', () => {
  it("asks for base64 on the wire when the caller names no encoding_format (the SDK's default) and decodes it to the same floats as 'float'", async () => {
    const sentBodies: unknown[] = [];
    const spying = new OpenAI({
      baseURL: rig.providers.openaiBaseUrl,
      apiKey: 'test',
      maxRetries: 0,
      fetch: async (url, init) => {
        sentBodies.push(JSON.parse(String(init?.body)));
        return fetch(url, init);
      },
    });
    const byDefault = await spying.embeddings.create({ model: 'text-embedding-3-small', input: 'The quick brown fox' });
    const asFloat = await spying.embeddings.create({ model: 'text-embedding-3-small', input: 'The quick brown fox', encoding_format: 'float' });
    expect(sentBodies.map((body) => (body as { encoding_format?: string }).encoding_format)).toEqual(['base64', 'float']);
    expect(byDefault.data[0]?.embedding).toEqual(asFloat.data[0]?.embedding);
  });

  it("returns base64 strings of little-endian float32 when the caller asks for 'base64' itself", async () => {
    const response = await rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'base64' });
    const encoded = response.data[0]?.embedding as unknown as string;
    expect(typeof encoded).toBe('string');
    const bytes = Buffer.from(encoded, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
    const floats = await rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' });
    expect(decoded).toEqual(floats.data[0]?.embedding);
  });

  it('answers one unit vector of the profile length per input, in order, with token usage', async () => {
    const response = await rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: ['first input', 'second, longer input text'], encoding_format: 'float' });
    expect(response).toMatchObject({ object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 3 + 7, total_tokens: 10 } });
    expect(response.data.map((item) => [item.object, item.index, item.embedding.length])).toEqual([
      ['embedding', 0, 32],
      ['embedding', 1, 32],
    ]);
    for (const item of response.data) expect(norm(item.embedding)).toBeCloseTo(1, 5);
    expect(response.data[0]?.embedding).not.toEqual(response.data[1]?.embedding);
  });

  it('gives the same text the same vector every time', async () => {
    const [a, b] = await Promise.all([
      rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'stable' }),
      rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: ['other', 'stable'] }),
    ]);
    expect(b.data[1]?.embedding).toEqual(a.data[0]?.embedding);
  });

  it('honours dimensions and counts token-array inputs by their length', async () => {
    const response = await rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: [[1, 2, 3, 4, 5]], dimensions: 8 });
    expect(response.data[0]?.embedding).toHaveLength(8);
    expect(response.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
  });

  it('reports exactly the usage forced by x-fake-usage', async () => {
    const response = await rig.openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }, { headers: { 'x-fake-usage': '{"prompt_tokens":512}' } });
    expect(response.usage).toEqual({ prompt_tokens: 512, total_tokens: 512 });
  });

  it.each([
    { name: 'an empty string', input: '' },
    { name: 'an empty list', input: [] },
    { name: 'a list with a number in it', input: ['ok', 3] },
  ])('rejects $name as input with a 400', async ({ input }) => {
    const error = await thrown(() => rig.openai.post('/embeddings', { body: { model: 'text-embedding-3-small', input } }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: 'input' });
  });

  it('rejects a chat model on the embeddings endpoint', async () => {
    const error = await thrown(() => rig.openai.embeddings.create({ model: 'gpt-4o-mini', input: 'x' }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });
});
