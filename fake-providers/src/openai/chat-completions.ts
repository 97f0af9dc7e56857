import type { Exchange, Frame } from '../exchange';
import { generate, type Generation } from '../generation';
import { isObject, positiveInteger, type JsonObject } from '../json';
import { ALPHANUMERIC, HEX, Random, seedFrom } from '../random';
import { tokenCost } from '../rate-limits';
import { DONE_EVENT, dataEvent } from '../sse';
import { splitEvenly, splitIntoDeltas } from '../text';
import { emitMs, planTiming } from '../timing';
import { countTokens } from '../tokens';
import { chatPrompt, chatToolName } from './prompt';
import { overrideUsage } from './usage';

/** `POST /openai/v1/chat/completions`: a `chat.completion`, or `chat.completion.chunk` events ending in `[DONE]`. */
export async function handleChatCompletions(ex: Exchange, body: JsonObject): Promise<void> {
  const { model } = body;
  ex.record.stream = body.stream === true;
  if (typeof model !== 'string' || model === '') return ex.invalid('you must provide a model parameter');
  ex.record.model = model;
  const requested = ex.state.catalog.find('openai', model, 'chat');
  if (requested.kind !== 'chat') {
    return ex.sendError({ kind: 'not_found', param: 'model', message: 'This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean to use v1/completions?' });
  }
  if (!Array.isArray(body.messages)) return ex.invalid("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (body.messages.length === 0) return ex.invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'messages', 'empty_array');
  if (requested.reasoningTokensMedian !== undefined && body.max_tokens !== undefined && body.max_tokens !== null) {
    return ex.invalid("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'max_tokens', 'unsupported_parameter');
  }
  const maxCompletion = positiveInteger(body, 'max_completion_tokens');
  const maxTokens = positiveInteger(body, 'max_tokens');
  for (const [field, value] of [['max_completion_tokens', maxCompletion], ['max_tokens', maxTokens]] as const) {
    if (isObject(value)) return ex.invalid(value.error, field, 'integer_below_min_value');
  }
  const profile = await ex.applyFaults(model, requested);
  if (!profile) return;

  const prompt = chatPrompt(body);
  const promptTokens = countTokens(prompt);
  const cachedTokens = ex.state.openaiCache.automaticPrefix(profile.snapshot, prompt, profile.minCacheableTokens, Date.now());
  const generation = generate({
    profile,
    seed: ex.state.seed,
    prompt,
    maxOutputTokens: (maxCompletion ?? maxTokens) as number | undefined,
    toolName: chatToolName(body.tools, body.tool_choice),
    reasoningEffort: typeof body.reasoning_effort === 'string' ? body.reasoning_effort : undefined,
    outputTokens: ex.overrides.outputTokens,
  });
  const timing = planTiming(profile, ex.state.rng, ex.state.timeScale, promptTokens - cachedTokens, generation.reasoningTokens);
  const usage = overrideUsage(
    {
      prompt_tokens: promptTokens,
      completion_tokens: generation.outputTokens,
      total_tokens: promptTokens + generation.outputTokens,
      prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: generation.reasoningTokens, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    ex.overrides.usage,
    'prompt_tokens',
    'completion_tokens',
  );
  if (!ex.admit(tokenCost(usage.prompt_tokens, usage.completion_tokens))) return;
  const head = {
    id: `chatcmpl-${ex.state.rng.id(29, ALPHANUMERIC)}`,
    created: Math.floor(Date.now() / 1000),
    model: profile.snapshot,
    service_tier: 'default',
    system_fingerprint: `fp_${new Random(seedFrom(profile.snapshot)).id(10, HEX)}`,
  };
  const toolCallId = `call_${ex.state.rng.id(24, ALPHANUMERIC)}`;
  const finishReason = generation.truncated ? 'length' : generation.toolCall ? 'tool_calls' : 'stop';

  if (!ex.record.stream) {
    const message = generation.toolCall
      ? { role: 'assistant', content: null, tool_calls: [{ id: toolCallId, type: 'function', function: generation.toolCall }], refusal: null, annotations: [] }
      : { role: 'assistant', content: generation.text, refusal: null, annotations: [] };
    const completion = { ...head, object: 'chat.completion', choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }], usage };
    return ex.respondJson(completion, timing.firstTokenMs + generation.visibleTokens * timing.perTokenMs);
  }

  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
  const chunk = (delta: JsonObject, finish: string | null): string =>
    dataEvent({ ...head, object: 'chat.completion.chunk', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) });
  const frames: Frame[] = [{ data: chunk(firstDelta(generation, toolCallId), null), delayMs: timing.firstTokenMs }];
  for (const delta of contentDeltas(generation)) {
    frames.push({ data: chunk(delta.delta, null), delayMs: emitMs(timing, delta.chars), content: true });
  }
  frames.push({ data: chunk({}, finishReason), delayMs: 0 });
  if (includeUsage) frames.push({ data: dataEvent({ ...head, object: 'chat.completion.chunk', choices: [], usage }), delayMs: 0 });
  frames.push({ data: DONE_EVENT, delayMs: 0 });
  return ex.stream(frames);
}

function firstDelta(generation: Generation, toolCallId: string): JsonObject {
  if (!generation.toolCall) return { role: 'assistant', content: '', refusal: null };
  return { role: 'assistant', content: null, tool_calls: [{ index: 0, id: toolCallId, type: 'function', function: { name: generation.toolCall.name, arguments: '' } }], refusal: null };
}

function contentDeltas(generation: Generation): Array<{ delta: JsonObject; chars: number }> {
  if (generation.toolCall) {
    return splitEvenly(generation.toolCall.arguments, 2).map((piece) => ({ delta: { tool_calls: [{ index: 0, function: { arguments: piece } }] }, chars: piece.length }));
  }
  return splitIntoDeltas(generation.text).map((piece) => ({ delta: { content: piece }, chars: piece.length }));
}
