/** What an AI response says about itself besides usage: the span's `gen_ai.response.*` attributes. */
export interface ResponseInfo {
  /** `gen_ai.response.id` */
  id?: string;
  /** `gen_ai.response.model` */
  model?: string;
  /** `gen_ai.response.finish_reasons`, by generation index (sparse while a stream runs; read with `finishReasonsOf`). */
  finishReasons?: (string | undefined)[];
}

type Fields = Record<string, unknown>;

/** Generations indexed beyond this are ignored (a bogus `index` must not allocate a huge array). */
const MAX_GENERATIONS = 128;

/** Statuses of an OpenAI Responses API response that end it; `in_progress` and `queued` are not finish reasons. */
const TERMINAL_RESPONSE_STATUSES: ReadonlySet<string> = new Set(['completed', 'incomplete', 'failed', 'cancelled']);

/** The response attributes of a whole response. */
export function readResponseInfo(response: unknown): ResponseInfo | undefined {
  return mergeResponseInfo(undefined, response);
}

/**
 * Folds a response, or one chunk of a streamed one, into `info` (mutated and
 * returned; created on first find). Reads, defensively and without ever throwing:
 * - OpenAI Chat Completions and its chunks: `id`, `model`, `choices[].finish_reason`;
 * - OpenAI Responses API: `id`, `model`, a terminal `status` (the `incomplete_details.reason`
 *   when incomplete); stream events carry the response in `response`;
 * - Anthropic Messages: `id`, `model`, `stop_reason`; stream events `message_start.message`
 *   and `message_delta.delta.stop_reason`;
 * - Gemini: `responseId`, `modelVersion`, `candidates[].finishReason`;
 * - Vercel AI SDK results: `finishReason`, `response.id`, `response.modelId`.
 * A later chunk's value replaces an earlier one (per generation for finish reasons).
 */
export function mergeResponseInfo(info: ResponseInfo | undefined, value: unknown): ResponseInfo | undefined {
  const top = asFields(value);
  if (top === undefined) return info;
  try {
    let merged = info;
    // Nested objects first, so the top level (the response itself) wins over them.
    const message = asFields(top.message);
    if (message !== undefined) merged = readFields(merged, message);
    const response = asFields(top.response);
    if (response !== undefined) merged = readFields(merged, response);
    merged = readFields(merged, top);
    const delta = asFields(top.delta);
    if (delta !== undefined && typeof delta.stop_reason === 'string') merged = withReason(merged, 0, delta.stop_reason);
    return merged;
  } catch {
    // A throwing getter or Proxy on the caller's object: keep what was read so far.
    return info;
  }
}

/** The finish reasons read so far, in generation order, or undefined when none. */
export function finishReasonsOf(info: ResponseInfo | undefined): string[] | undefined {
  const reasons = info?.finishReasons?.filter((reason): reason is string => reason !== undefined);
  return reasons === undefined || reasons.length === 0 ? undefined : reasons;
}

function readFields(info: ResponseInfo | undefined, source: Fields): ResponseInfo | undefined {
  let merged = info;
  const id = firstString(source.id, source.responseId);
  if (id !== undefined) (merged ??= {}).id = id;
  const model = firstString(source.model, source.modelVersion, source.modelId);
  if (model !== undefined) (merged ??= {}).model = model;
  merged = readGenerations(merged, source.choices, 'finish_reason');
  merged = readGenerations(merged, source.candidates, 'finishReason');
  if (typeof source.stop_reason === 'string') merged = withReason(merged, 0, source.stop_reason);
  if (typeof source.finishReason === 'string') merged = withReason(merged, 0, source.finishReason);
  if (source.object === 'response' && typeof source.status === 'string' && TERMINAL_RESPONSE_STATUSES.has(source.status)) {
    const incompleteReason = asFields(source.incomplete_details)?.reason;
    merged = withReason(merged, 0, source.status === 'incomplete' && typeof incompleteReason === 'string' ? incompleteReason : source.status);
  }
  return merged;
}

/** Finish reasons of `choices` (OpenAI) or `candidates` (Gemini), placed by their `index`. */
function readGenerations(info: ResponseInfo | undefined, generations: unknown, key: 'finish_reason' | 'finishReason'): ResponseInfo | undefined {
  if (!Array.isArray(generations)) return info;
  let merged = info;
  const count = Math.min(generations.length, MAX_GENERATIONS);
  for (let position = 0; position < count; position++) {
    const generation = asFields(generations[position]);
    const reason = generation?.[key];
    if (typeof reason !== 'string') continue;
    const index = generation?.index;
    merged = withReason(merged, typeof index === 'number' ? index : position, reason);
  }
  return merged;
}

function withReason(info: ResponseInfo | undefined, index: number, reason: string): ResponseInfo | undefined {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_GENERATIONS) return info;
  const merged = info ?? {};
  (merged.finishReasons ??= [])[index] = reason;
  return merged;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return undefined;
}

function asFields(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined;
}
