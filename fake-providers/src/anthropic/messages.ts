import type { Exchange, Frame } from '../exchange';
import { generate } from '../generation';
import { isObject, positiveInteger, type JsonObject } from '../json';
import { mergeUsage } from '../overrides';
import { BASE58 } from '../random';
import { tokenCost } from '../rate-limits';
import { namedEvent } from '../sse';
import { splitEvenly, splitIntoDeltas } from '../text';
import { emitMs, planTiming } from '../timing';
import { countTokens } from '../tokens';
import { messagesPrompt, messagesToolName } from './prompt';

/**
 * `POST /anthropic/v1/messages`: a `message`, or the events `message_start` →
 * `content_block_start` → `ping` → `content_block_delta`… → `content_block_stop` →
 * `message_delta` → `message_stop`. `input_tokens` excludes cache reads and writes, as
 * the API reports it; `message_delta.usage` repeats the input counts (totals, not increments).
 */
export async function handleMessages(ex: Exchange, body: JsonObject): Promise<void> {
  const { model } = body;
  ex.record.stream = body.stream === true;
  if (typeof model !== 'string' || model === '') return ex.invalid('model: Field required');
  ex.record.model = model;
  const maxTokens = positiveInteger(body, 'max_tokens');
  if (maxTokens === undefined) return ex.invalid('max_tokens: Field required');
  if (isObject(maxTokens)) return ex.invalid('max_tokens: Input should be a valid integer greater than or equal to 1');
  if (!Array.isArray(body.messages)) return ex.invalid('messages: Field required');
  if (body.messages.length === 0) return ex.invalid('messages: at least one message is required');
  const requested = ex.state.catalog.find('anthropic', model, 'chat');
  if (requested.kind !== 'chat') return ex.sendError({ kind: 'not_found', message: `model: ${model}` });
  const profile = await ex.applyFaults(model, requested);
  if (!profile) return;

  const prompt = messagesPrompt(body);
  const totalInput = countTokens(prompt.text);
  const cache = ex.state.anthropicCache.breakpoints(profile.snapshot, prompt.text, prompt.breakpoints, profile.minCacheableTokens, Date.now());
  const generation = generate({
    profile,
    seed: ex.state.seed,
    prompt: prompt.text,
    maxOutputTokens: maxTokens,
    toolName: messagesToolName(body.tools, body.tool_choice),
    reasoningEffort: undefined,
    outputTokens: ex.overrides.outputTokens,
  });
  const timing = planTiming(profile, ex.state.rng, ex.state.timeScale, totalInput - cache.readTokens, 0);
  const usage = mergeUsage(
    {
      input_tokens: totalInput - cache.readTokens - cache.creationTokens,
      cache_creation_input_tokens: cache.creationTokens,
      cache_read_input_tokens: cache.readTokens,
      cache_creation: { ephemeral_5m_input_tokens: cache.creation5mTokens, ephemeral_1h_input_tokens: cache.creation1hTokens },
      output_tokens: generation.outputTokens,
      service_tier: 'standard',
    },
    ex.overrides.usage,
  );
  // Cache reads do not count against Anthropic's input-token limit; cache writes do.
  if (!ex.admit(tokenCost(usage.input_tokens + (usage.cache_creation_input_tokens ?? 0), usage.output_tokens))) return;
  const id = `msg_01${ex.state.rng.id(22, BASE58)}`;
  const toolUseId = `toolu_01${ex.state.rng.id(22, BASE58)}`;
  const stopReason = generation.truncated ? 'max_tokens' : generation.toolCall ? 'tool_use' : 'end_turn';
  const head = { id, type: 'message', role: 'assistant', model: profile.snapshot };

  if (!ex.record.stream) {
    const content = generation.toolCall
      ? [{ type: 'tool_use', id: toolUseId, name: generation.toolCall.name, input: JSON.parse(generation.toolCall.arguments) as unknown }]
      : [{ type: 'text', text: generation.text }];
    const message = { ...head, content, stop_reason: stopReason, stop_sequence: null, usage };
    return ex.respondJson(message, timing.firstTokenMs + generation.visibleTokens * timing.perTokenMs);
  }

  const event = (type: string, fields: JsonObject, delayMs = 0, content = false): Frame => ({ data: namedEvent(type, { type, ...fields }), delayMs, content });
  const frames: Frame[] = [
    event('message_start', { message: { ...head, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }, timing.firstTokenMs),
  ];
  if (generation.toolCall) {
    frames.push(event('content_block_start', { index: 0, content_block: { type: 'tool_use', id: toolUseId, name: generation.toolCall.name, input: {} } }));
    frames.push(event('ping', {}));
    frames.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '' } }));
    for (const piece of splitEvenly(generation.toolCall.arguments, 2)) {
      frames.push(event('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: piece } }, emitMs(timing, piece.length), true));
    }
  } else {
    frames.push(event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }));
    frames.push(event('ping', {}));
    for (const piece of splitIntoDeltas(generation.text)) {
      frames.push(event('content_block_delta', { index: 0, delta: { type: 'text_delta', text: piece } }, emitMs(timing, piece.length), true));
    }
  }
  frames.push(event('content_block_stop', { index: 0 }));
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens } = usage;
  frames.push(event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens } }));
  frames.push(event('message_stop', {}));
  return ex.stream(frames);
}
