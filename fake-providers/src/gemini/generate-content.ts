import type { Exchange, Frame } from '../exchange';
import { generate, type Generation } from '../generation';
import { isObject, positiveInteger, type JsonObject } from '../json';
import { mergeUsage } from '../overrides';
import { splitEvenly } from '../text';
import { emitMs, planTiming } from '../timing';
import { countTokens } from '../tokens';
import { contentsPrompt, contentsToolName } from './prompt';

/** About this many tokens of text per streamed chunk: Gemini streams in runs of words, not word by word. */
const TOKENS_PER_CHUNK = 16;

/**
 * `POST …/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`: a
 * `GenerateContentResponse`, or a run of them as `data:` events, each carrying the
 * text so far's `usageMetadata` (the last one the final counts and `finishReason`).
 * `promptTokenCount` includes `cachedContentTokenCount`; `candidatesTokenCount`
 * excludes `thoughtsTokenCount`, as the API reports them; zero counts are left out.
 */
export async function handleGenerateContent(ex: Exchange, body: JsonObject, model: string, stream: boolean): Promise<void> {
  ex.record.model = model;
  ex.record.stream = stream;
  if (!Array.isArray(body.contents) || body.contents.length === 0) return ex.invalid('* GenerateContentRequest.contents: contents is not specified\n');
  const profile = ex.state.catalog.find('gemini', model, 'chat');
  if (profile.kind !== 'chat') {
    return ex.sendError({ kind: 'not_found', message: `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.` });
  }
  const config = isObject(body.generationConfig) ? body.generationConfig : {};
  const maxOutputTokens = positiveInteger(config, 'maxOutputTokens');
  if (isObject(maxOutputTokens)) return ex.invalid(`* GenerateContentRequest.generation_config.max_output_tokens: ${maxOutputTokens.error}\n`);
  const thinking = isObject(config.thinkingConfig) ? config.thinkingConfig : {};
  // Flash can be told not to think; Pro cannot.
  const thinks = profile.reasoningTokensMedian !== undefined && thinking.thinkingBudget !== 0;
  if (profile.reasoningTokensMedian !== undefined && !thinks && profile.name.includes('-pro')) return ex.invalid('Budget 0 is invalid. This model only works in thinking mode.');
  const served = await ex.applyFaults(model, profile);
  if (!served) return;

  const prompt = contentsPrompt(body);
  const promptTokens = countTokens(prompt);
  const cachedTokens = ex.state.geminiCache.automaticPrefix(served.snapshot, prompt, served.minCacheableTokens, Date.now());
  const generation = generate({
    profile: thinks ? served : { ...served, reasoningTokensMedian: undefined },
    seed: ex.state.seed,
    prompt,
    maxOutputTokens: maxOutputTokens as number | undefined,
    toolName: contentsToolName(body.tools, body.toolConfig),
    reasoningEffort: typeof thinking.thinkingLevel === 'string' ? thinking.thinkingLevel.toLowerCase() : undefined,
    outputTokens: ex.overrides.outputTokens,
  });
  const timing = planTiming(served, ex.state.rng, ex.state.timeScale, promptTokens - cachedTokens, generation.reasoningTokens);
  const head = { modelVersion: served.snapshot, responseId: ex.requestId };
  const finishReason = generation.truncated ? 'MAX_TOKENS' : 'STOP';
  const finalUsage = overrideUsage(usageMetadata(promptTokens, cachedTokens, generation.reasoningTokens, generation.visibleTokens), ex.overrides.usage);

  if (!stream) {
    const response = { candidates: [{ content: content(answerParts(generation)), finishReason, index: 0 }], usageMetadata: finalUsage, ...head };
    return ex.respondJson(response, timing.firstTokenMs + generation.visibleTokens * timing.perTokenMs);
  }

  const pieces = generation.toolCall ? [undefined] : splitEvenly(generation.text, Math.ceil(generation.visibleTokens / TOKENS_PER_CHUNK));
  let sent = 0;
  const frames: Frame[] = pieces.map((piece, index) => {
    const last = index === pieces.length - 1;
    sent += piece?.length ?? 0;
    const usage = last ? finalUsage : usageMetadata(promptTokens, cachedTokens, generation.reasoningTokens, countTokens(generation.text.slice(0, sent)));
    const candidate = { content: content(piece === undefined ? answerParts(generation) : piece === '' ? [] : [{ text: piece }]), ...(last ? { finishReason } : {}), index: 0 };
    const delayMs = index === 0 ? timing.firstTokenMs : emitMs(timing, piece?.length ?? 0);
    return { data: sseEvent({ candidates: [candidate], usageMetadata: usage, ...head }), delayMs, content: piece !== '' };
  });
  return ex.stream(frames);
}

/** The visible answer as parts: one text part, or one function call with empty arguments. */
function answerParts(generation: Generation): JsonObject[] {
  if (generation.toolCall) return [{ functionCall: { name: generation.toolCall.name, args: JSON.parse(generation.toolCall.arguments) as unknown } }];
  return generation.text === '' ? [] : [{ text: generation.text }];
}

/** A model turn; the API leaves `parts` out when there is no output (every token went to thoughts). */
function content(parts: JsonObject[]): JsonObject {
  return parts.length === 0 ? { role: 'model' } : { parts, role: 'model' };
}

function usageMetadata(promptTokens: number, cachedTokens: number, thoughtsTokens: number, candidatesTokens: number): JsonObject {
  return {
    promptTokenCount: promptTokens,
    ...(candidatesTokens > 0 ? { candidatesTokenCount: candidatesTokens } : {}),
    totalTokenCount: promptTokens + candidatesTokens + thoughtsTokens,
    ...(cachedTokens > 0 ? { cachedContentTokenCount: cachedTokens } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens }],
    ...(cachedTokens > 0 ? { cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cachedTokens }] } : {}),
    ...(thoughtsTokens > 0 ? { thoughtsTokenCount: thoughtsTokens } : {}),
  };
}

/** `x-fake-usage` over the usage; `totalTokenCount` is recomputed from the parts unless the override sets it. */
function overrideUsage(usage: JsonObject, override: Parameters<typeof mergeUsage>[1]): JsonObject {
  if (!override) return usage;
  const merged = mergeUsage(usage, override);
  if (override.totalTokenCount === undefined) {
    const count = (field: string) => {
      const value = merged[field];
      return typeof value === 'number' ? value : 0;
    };
    merged.totalTokenCount = count('promptTokenCount') + count('candidatesTokenCount') + count('thoughtsTokenCount') + count('toolUsePromptTokenCount');
  }
  return merged;
}

/** Gemini frames its events with CRLF. */
function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}
