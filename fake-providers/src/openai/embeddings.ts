import type { Exchange } from '../exchange';
import { isObject, positiveInteger, type JsonObject } from '../json';
import { mergeUsage } from '../overrides';
import { Random, seedFrom } from '../random';
import { planTiming } from '../timing';
import { tokenCost } from '../rate-limits';
import { countTokens } from '../tokens';
import { unitVector } from '../vectors';

const MAX_DIMENSIONS = 4096;
const INVALID_INPUT = "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.";

/**
 * `POST /openai/v1/embeddings`: unit vectors seeded by the input text, as float arrays
 * or, for `encoding_format: 'base64'`, little-endian float32 bytes in base64 (what the
 * SDK asks for by default). Values are float32-exact, so both encodings decode equal.
 */
export async function handleEmbeddings(ex: Exchange, body: JsonObject): Promise<void> {
  const { model } = body;
  if (typeof model !== 'string' || model === '') return ex.invalid('you must provide a model parameter');
  ex.record.model = model;
  const requested = ex.state.catalog.find('openai', model, 'embedding');
  if (requested.kind !== 'embedding') return ex.invalid(`The model '${model}' does not support embeddings.`, 'model');
  const inputs = embeddingInputs(body.input);
  if (!inputs) return ex.invalid(INVALID_INPUT, 'input');
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    return ex.invalid(`Invalid value: ${JSON.stringify(format)}. Supported values are: 'float' and 'base64'.`, 'encoding_format', 'invalid_value');
  }
  const dimensions = positiveInteger(body, 'dimensions');
  if (isObject(dimensions) || (dimensions !== undefined && dimensions > MAX_DIMENSIONS)) {
    return ex.invalid(`Invalid 'dimensions': expected an integer between 1 and ${MAX_DIMENSIONS}.`, 'dimensions');
  }
  const profile = await ex.applyFaults(model, requested);
  if (!profile) return;

  const length = dimensions ?? profile.embeddingDimensions;
  const promptTokens = inputs.reduce((sum, input) => sum + input.tokens, 0);
  const data = inputs.map((input, index) => {
    const vector = unitVector(new Random(seedFrom(ex.state.seed, profile.snapshot, input.key)), length);
    return { object: 'embedding', index, embedding: format === 'base64' ? toBase64(vector) : vector };
  });
  const usage = mergeUsage({ prompt_tokens: promptTokens, total_tokens: promptTokens }, ex.overrides.usage);
  if (ex.overrides.usage && ex.overrides.usage.total_tokens === undefined) usage.total_tokens = usage.prompt_tokens;
  if (!ex.admit(tokenCost(usage.prompt_tokens, 0))) return;
  const timing = planTiming(profile, ex.state.rng, ex.state.timeScale, promptTokens, 0);
  return ex.respondJson({ object: 'list', data, model: profile.snapshot, usage }, timing.firstTokenMs);
}

/** The inputs as (identity, tokens) pairs, or undefined when the API would reject them. */
function embeddingInputs(input: unknown): Array<{ key: string; tokens: number }> | undefined {
  const isTokenArray = (value: unknown): value is number[] => Array.isArray(value) && value.length > 0 && value.every((token) => Number.isInteger(token));
  if (typeof input === 'string') return input === '' ? undefined : [{ key: input, tokens: Math.max(1, countTokens(input)) }];
  if (isTokenArray(input)) return [{ key: JSON.stringify(input), tokens: input.length }];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const out: Array<{ key: string; tokens: number }> = [];
  for (const item of input) {
    if (typeof item === 'string' && item !== '') out.push({ key: item, tokens: Math.max(1, countTokens(item)) });
    else if (isTokenArray(item)) out.push({ key: JSON.stringify(item), tokens: item.length });
    else return undefined;
  }
  return out;
}

function toBase64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}
