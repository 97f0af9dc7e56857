import { INSTRUMENTATION_ERROR_REASON } from '@modelwatch/conventions';
import type { NormalizedUsage } from './call-types';

export type { NormalizedUsage };

export type UsageFailure = typeof INSTRUMENTATION_ERROR_REASON.unknownUsageShape | typeof INSTRUMENTATION_ERROR_REASON.invalidTokens;

export type UsageResult = { ok: true; usage: NormalizedUsage } | { ok: false; reason: UsageFailure };

type Fields = Record<string, unknown>;

const UNKNOWN_SHAPE: UsageResult = Object.freeze({ ok: false, reason: INSTRUMENTATION_ERROR_REASON.unknownUsageShape });
const INVALID_TOKENS: UsageResult = Object.freeze({ ok: false, reason: INSTRUMENTATION_ERROR_REASON.invalidTokens });

/**
 * Properties of a whole response that hold its usage. `totalUsage` comes first:
 * on a Vercel AI SDK result it sums every step, while `usage` is the last step only.
 */
const USAGE_PROPERTIES = ['totalUsage', 'usage', 'usageMetadata'] as const;

/**
 * Reads the usage of one AI call in any shape the supported SDKs produce, or a
 * whole response holding it, and returns it under the OTel inclusive rule.
 * Never throws: a throwing getter or Proxy counts as an unknown shape.
 *
 * `providerHint` (the `gen_ai_provider_name`) settles shapes the keys alone cannot:
 * a bare Anthropic `{input_tokens, output_tokens}` and AI SDK v5 usage from Anthropic,
 * whose `inputTokens` leaves the cached tokens out.
 */
export function normalizeUsage(usage: unknown, providerHint?: string): UsageResult {
  const previous = target;
  target = undefined;
  try {
    return read(usage, isAnthropicProvider(providerHint));
  } finally {
    target = previous;
  }
}

/**
 * `normalizeUsage` for the recorder's hot path: writes the counts into `out` (no
 * allocation) and returns undefined, or returns why the usage could not be read.
 * `anthropic` is `isAnthropicProvider` of the call's provider, which the caller keeps.
 */
export function readUsageInto(usage: unknown, anthropic: boolean, out: NormalizedUsage): UsageFailure | undefined {
  const previous = target;
  target = out;
  try {
    const found = read(usage, anthropic);
    if (!found.ok) return found.reason;
    // A read nested in this one (a getter of the caller's usage object recording a call) cleared `target`.
    if (found !== FILLED) Object.assign(out, found.usage);
    return undefined;
  } finally {
    target = previous;
  }
}

/** Where `result` writes while readUsageInto runs; undefined: it allocates the result, as normalizeUsage returns it. */
let target: NormalizedUsage | undefined;
/** What `result` returns once it wrote into `target`. */
const FILLED: UsageResult = Object.freeze({ ok: true, usage: Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0, reasoning: 0 }) });

/** Whether a `gen_ai_provider_name` is Anthropic's (or names it, as `aws.bedrock.anthropic` would): the `providerHint` rule. */
export function isAnthropicProvider(provider: unknown): boolean {
  return typeof provider === 'string' && provider.toLowerCase().includes('anthropic');
}

/** `anthropic`: whether the call's provider is Anthropic's ({@link isAnthropicProvider}), which settles the shapes keys cannot. */
function read(usage: unknown, anthropic: boolean): UsageResult {
  try {
    if (!isFields(usage)) return UNKNOWN_SHAPE;
    const direct = fromProviderShape(usage, anthropic);
    if (direct) return direct;
    for (const key of USAGE_PROPERTIES) {
      const inner = usage[key];
      if (!isFields(inner)) continue;
      const nested = fromProviderShape(inner, anthropic) ?? fromNormalizedShape(inner);
      if (nested) return nested;
    }
    // Checked last so a logged record like `{input: 'prompt', output: 'text', usage: {...}}` reads its usage.
    return fromNormalizedShape(usage) ?? UNKNOWN_SHAPE;
  } catch {
    return UNKNOWN_SHAPE;
  }
}

function fromProviderShape(u: Fields, anthropic: boolean): UsageResult | undefined {
  if ('prompt_tokens' in u || 'completion_tokens' in u) return fromOpenAiChat(u);
  if ('input_tokens' in u || 'output_tokens' in u) {
    // Anthropic always sends the cache keys (possibly null); the OpenAI Responses API never does.
    const isAnthropic = anthropic || 'cache_read_input_tokens' in u || 'cache_creation_input_tokens' in u;
    return isAnthropic ? fromAnthropic(u) : fromOpenAiResponses(u);
  }
  if ('promptTokenCount' in u || 'candidatesTokenCount' in u || 'totalTokenCount' in u) return fromGemini(u);
  if ('inputTokens' in u || 'outputTokens' in u) return fromAiSdk(u, anthropic);
  if ('promptTokens' in u || 'completionTokens' in u) return fromAiSdkV4(u);
  return undefined;
}

/** OpenAI Chat Completions, legacy completions, embeddings, and the many APIs that copy them. prompt_tokens includes cached tokens. */
function fromOpenAiChat(u: Fields): UsageResult {
  const input = tokens(u.prompt_tokens);
  const completion = tokens(u.completion_tokens);
  const total = tokens(u.total_tokens);
  const promptDetails = fields(u.prompt_tokens_details);
  const reasoning = tokens(fields(u.completion_tokens_details)?.reasoning_tokens);
  // DeepSeek reports cache hits as prompt_cache_hit_tokens rather than in the details.
  const cacheRead = tokens(promptDetails?.cached_tokens ?? u.prompt_cache_hit_tokens);
  const cacheCreation = tokens(promptDetails?.cache_write_tokens);
  // xAI counts reasoning outside completion_tokens (total = prompt + completion + reasoning); OpenAI inside it.
  const reasoningOutside = reasoning > 0 && total === input + completion + reasoning;
  return result(input, reasoningOutside ? completion + reasoning : completion, cacheRead, cacheCreation, reasoning, total);
}

/** OpenAI Responses API (and Realtime, whose details key is singular): input includes cached tokens, output includes reasoning. */
function fromOpenAiResponses(u: Fields): UsageResult {
  const inputDetails = fields(u.input_tokens_details ?? u.input_token_details);
  return result(
    tokens(u.input_tokens),
    tokens(u.output_tokens),
    tokens(inputDetails?.cached_tokens),
    tokens(inputDetails?.cache_write_tokens),
    tokens(fields(u.output_tokens_details)?.reasoning_tokens),
    tokens(u.total_tokens),
  );
}

/** Anthropic Messages: input_tokens excludes both cache counts, so they are added back. */
function fromAnthropic(u: Fields): UsageResult {
  const cacheRead = tokens(u.cache_read_input_tokens);
  const cacheCreation = tokens(u.cache_creation_input_tokens);
  return result(
    tokens(u.input_tokens) + cacheRead + cacheCreation,
    tokens(u.output_tokens),
    cacheRead,
    cacheCreation,
    tokens(fields(u.output_tokens_details)?.thinking_tokens),
    0,
  );
}

/**
 * Gemini `usageMetadata`: promptTokenCount includes cached content; thoughts are
 * billed as output but reported outside candidatesTokenCount. Tool-use prompt tokens
 * are billed as input (as genai-prices counts them).
 */
function fromGemini(u: Fields): UsageResult {
  const thoughts = tokens(u.thoughtsTokenCount);
  return result(
    tokens(u.promptTokenCount) + tokens(u.toolUsePromptTokenCount),
    tokens(u.candidatesTokenCount) + thoughts,
    tokens(u.cachedContentTokenCount),
    0,
    thoughts,
    tokens(u.totalTokenCount),
  );
}

/**
 * Vercel AI SDK v5/v6 `LanguageModelUsage`, the v6 provider-level usage (nested
 * `inputTokens.total`), and AWS Bedrock Converse usage, which shares the key names.
 */
function fromAiSdk(u: Fields, anthropic: boolean): UsageResult {
  const inputObject = fields(u.inputTokens);
  const outputObject = fields(u.outputTokens);
  if (inputObject || outputObject) {
    const cacheRead = tokens(inputObject?.cacheRead);
    const cacheCreation = tokens(inputObject?.cacheWrite);
    const reasoning = tokens(outputObject?.reasoning);
    const input = inputObject ? (inputObject.total ?? tokens(inputObject.noCache) + cacheRead + cacheCreation) : u.inputTokens;
    const output = outputObject ? (outputObject.total ?? tokens(outputObject.text) + reasoning) : u.outputTokens;
    return result(tokens(input), tokens(output), cacheRead, cacheCreation, reasoning, 0);
  }
  const total = tokens(u.totalTokens);
  if ('cacheReadInputTokens' in u || 'cacheWriteInputTokens' in u) {
    // Bedrock Converse: inputTokens excludes both cache counts.
    const cacheRead = tokens(u.cacheReadInputTokens);
    const cacheCreation = tokens(u.cacheWriteInputTokens);
    return result(tokens(u.inputTokens) + cacheRead + cacheCreation, tokens(u.outputTokens), cacheRead, cacheCreation, 0, total);
  }
  const inputDetails = fields(u.inputTokenDetails);
  if (inputDetails) {
    // v6: inputTokens includes cached tokens for every provider.
    const reasoning = fields(u.outputTokenDetails)?.reasoningTokens ?? u.reasoningTokens;
    return result(
      tokens(u.inputTokens),
      tokens(u.outputTokens),
      tokens(inputDetails.cacheReadTokens),
      tokens(inputDetails.cacheWriteTokens),
      tokens(reasoning),
      total,
    );
  }
  // v5: inclusive for OpenAI and Google, but @ai-sdk/anthropic passes Anthropic's exclusive input_tokens through.
  const cacheRead = tokens(u.cachedInputTokens);
  const input = tokens(u.inputTokens) + (anthropic ? cacheRead : 0);
  return result(input, tokens(u.outputTokens), cacheRead, 0, tokens(u.reasoningTokens), total);
}

/** Vercel AI SDK v4: no cache or reasoning detail. */
function fromAiSdkV4(u: Fields): UsageResult {
  return result(tokens(u.promptTokens), tokens(u.completionTokens), 0, 0, 0, tokens(u.totalTokens));
}

function fromNormalizedShape(u: Fields): UsageResult | undefined {
  if (!('input' in u && 'output' in u)) return undefined;
  return result(tokens(u.input), tokens(u.output), tokens(u.cacheRead), tokens(u.cacheCreation), tokens(u.reasoning), 0);
}

/**
 * A token field: missing or null is 0; anything but a finite non-negative number is NaN,
 * which survives every sum so `result` needs one check per value.
 */
function tokens(value: unknown): number {
  if (value === undefined || value === null) return 0;
  return typeof value === 'number' && value >= 0 && value < Infinity ? value : NaN;
}

/**
 * `total` is only validated (a bad total means the payload is not trustworthy);
 * providers disagree on what it sums, so it is not compared with the parts.
 */
function result(input: number, output: number, cacheRead: number, cacheCreation: number, reasoning: number, total: number): UsageResult {
  // Negated comparisons so NaN (a bad field anywhere) fails them too.
  if (!(input < Infinity && output < Infinity && total < Infinity)) return INVALID_TOKENS;
  if (!(cacheRead + cacheCreation <= input && reasoning <= output)) return INVALID_TOKENS;
  const out = target;
  if (out === undefined) return { ok: true, usage: { input, output, cacheRead, cacheCreation, reasoning } };
  out.input = input;
  out.output = output;
  out.cacheRead = cacheRead;
  out.cacheCreation = cacheCreation;
  out.reasoning = reasoning;
  return FILLED;
}

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null;
}

/** A nested details object, or undefined when absent, null or not an object. */
function fields(value: unknown): Fields | undefined {
  return isFields(value) ? value : undefined;
}
