import type { Exchange } from '../exchange';
import { isObject, positiveInteger, type JsonObject } from '../json';
import { mergeUsage } from '../overrides';
import { Random, seedFrom } from '../random';
import { planTiming } from '../timing';
import { countTokens } from '../tokens';
import { unitVector } from '../vectors';
import { contentText } from './prompt';

const MAX_DIMENSIONS = 3072;

/**
 * `POST …/models/{model}:batchEmbedContents` (what the SDK calls, even for one text):
 * `{ requests: [{ model, content, outputDimensionality? }…] }` → `{ embeddings: [{ values }…], usageMetadata }`,
 * and `:embedContent` for one `content` → `{ embedding: { values }, usageMetadata }`. Unit vectors
 * seeded by each text, as the OpenAI endpoint's.
 */
export async function handleEmbedContents(ex: Exchange, body: JsonObject, model: string, batch: boolean): Promise<void> {
  ex.record.model = model;
  const profile = ex.state.catalog.find('gemini', model, 'embedding');
  if (profile.kind !== 'embedding') {
    return ex.sendError({ kind: 'not_found', message: `models/${model} is not found for API version v1beta, or is not supported for ${batch ? 'batchEmbedContents' : 'embedContent'}. Call ListModels to see the list of available models and their supported methods.` });
  }
  const requests = batch ? body.requests : [body];
  if (!Array.isArray(requests) || requests.length === 0) return ex.invalid('* BatchEmbedContentsRequest.requests: at least one request is required\n');
  const inputs: Array<{ text: string; dimensions: number | undefined }> = [];
  for (const request of requests) {
    const text = isObject(request) && isObject(request.content) ? contentText(request.content) : '';
    if (text === '') return ex.invalid('* EmbedContentRequest.content: contains an empty Part.\n');
    const dimensions = positiveInteger(request as JsonObject, 'outputDimensionality');
    if (isObject(dimensions) || (dimensions !== undefined && dimensions > MAX_DIMENSIONS)) {
      return ex.invalid(`* EmbedContentRequest.output_dimensionality: expected an integer between 1 and ${MAX_DIMENSIONS}.\n`);
    }
    inputs.push({ text, dimensions: dimensions as number | undefined });
  }
  const served = await ex.applyFaults(model, profile);
  if (!served) return;

  const promptTokens = inputs.reduce((sum, input) => sum + Math.max(1, countTokens(input.text)), 0);
  const embeddings = inputs.map((input) => ({ values: unitVector(new Random(seedFrom(ex.state.seed, served.snapshot, input.text)), input.dimensions ?? served.embeddingDimensions) }));
  const usageMetadata = mergeUsage({ promptTokenCount: promptTokens, totalTokenCount: promptTokens }, ex.overrides.usage);
  const timing = planTiming(served, ex.state.rng, ex.state.timeScale, promptTokens, 0);
  return ex.respondJson(batch ? { embeddings, usageMetadata } : { embedding: embeddings[0], usageMetadata }, timing.firstTokenMs);
}
