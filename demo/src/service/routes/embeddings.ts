import type { RequestHandler } from 'express';
import type OpenAI from 'openai';
import { EMBEDDING_MODEL } from '../../ai/models';
import { describeFailure, ProvidersFailedError } from '../../ai/provider-error';
import { abortOnClose } from '../abort-on-close';
import { parseEmbeddingsInput } from '../validation';

/** `POST /embeddings`: `{ texts }` → one vector per text from `text-embedding-3-small` (no failover: one provider has it). */
export function embeddingsRoute(openai: OpenAI): RequestHandler {
  return async (req, res) => {
    const texts = parseEmbeddingsInput(req.body);
    let response: OpenAI.CreateEmbeddingResponse;
    try {
      response = await openai.embeddings.create({ model: EMBEDDING_MODEL, input: texts }, { signal: abortOnClose(res) });
    } catch (error) {
      throw new ProvidersFailedError([describeFailure('openai', EMBEDDING_MODEL, error)]);
    }
    res.json({
      model: EMBEDDING_MODEL,
      data: response.data.map(({ index, embedding }) => ({ index, embedding })),
      usage: { inputTokens: response.usage.prompt_tokens },
    });
  };
}
