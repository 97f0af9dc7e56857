import type { Exchange, Frame } from '../exchange';
import { generate, type Generation } from '../generation';
import { isObject, positiveInteger, type JsonObject } from '../json';
import { ALPHANUMERIC, HEX } from '../random';
import { namedEvent } from '../sse';
import { splitEvenly, splitIntoDeltas } from '../text';
import { emitMs, planTiming, type Timing } from '../timing';
import { countTokens } from '../tokens';
import { responsesPrompt, responsesToolName } from './prompt';
import { overrideUsage } from './usage';
import { tokenCost } from '../rate-limits';

type Status = 'in_progress' | 'completed' | 'incomplete';

/**
 * `POST /openai/v1/responses`: a `response` object, or the event sequence
 * `response.created` → `response.in_progress` → output items (added, content part,
 * text deltas, done) → `response.completed` (`response.incomplete` when capped),
 * each with `type` and an increasing `sequence_number`.
 */
export async function handleResponses(ex: Exchange, body: JsonObject): Promise<void> {
  const { model } = body;
  ex.record.stream = body.stream === true;
  if (typeof model !== 'string' || model === '') return ex.invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  ex.record.model = model;
  const requested = ex.state.catalog.find('openai', model, 'chat');
  if (requested.kind !== 'chat') return ex.invalid(`The model '${model}' is not supported with the Responses API.`, 'model', 'model_not_supported');
  if (body.input === undefined && body.instructions === undefined) return ex.invalid("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  const maxOutput = positiveInteger(body, 'max_output_tokens');
  if (isObject(maxOutput)) return ex.invalid(maxOutput.error, 'max_output_tokens', 'integer_below_min_value');
  const profile = await ex.applyFaults(model, requested);
  if (!profile) return;

  const prompt = responsesPrompt(body);
  const inputTokens = countTokens(prompt);
  const cachedTokens = ex.state.openaiCache.automaticPrefix(profile.snapshot, prompt, profile.minCacheableTokens, Date.now());
  const reasoning = isObject(body.reasoning) ? body.reasoning : {};
  const generation = generate({
    profile,
    seed: ex.state.seed,
    prompt,
    maxOutputTokens: maxOutput,
    toolName: responsesToolName(body.tools, body.tool_choice),
    reasoningEffort: typeof reasoning.effort === 'string' ? reasoning.effort : undefined,
    outputTokens: ex.overrides.outputTokens,
  });
  const timing = planTiming(profile, ex.state.rng, ex.state.timeScale, inputTokens - cachedTokens, generation.reasoningTokens);
  const usage = overrideUsage(
    {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: cachedTokens },
      output_tokens: generation.outputTokens,
      output_tokens_details: { reasoning_tokens: generation.reasoningTokens },
      total_tokens: inputTokens + generation.outputTokens,
    },
    ex.overrides.usage,
    'input_tokens',
    'output_tokens',
  );
  if (!ex.admit(tokenCost(usage.input_tokens, usage.output_tokens))) return;
  const finalStatus: Status = generation.truncated ? 'incomplete' : 'completed';
  const items = outputItems(ex, generation, finalStatus);
  const createdAt = Math.floor(Date.now() / 1000);
  const id = `resp_${ex.state.rng.id(48, HEX)}`;
  const response = (status: Status, output: unknown[], withUsage: boolean) => ({
    id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: maxOutput ?? null,
    model: profile.snapshot,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: reasoning.effort ?? (profile.reasoningTokensMedian === undefined ? null : 'medium'), summary: null },
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage: withUsage ? usage : null,
    user: null,
    metadata: isObject(body.metadata) ? body.metadata : {},
  });

  if (!ex.record.stream) {
    return ex.respondJson(response(finalStatus, items.map((item) => item.done), true), timing.firstTokenMs + generation.visibleTokens * timing.perTokenMs);
  }

  let sequence = 0;
  const event = (type: string, fields: JsonObject, delayMs = 0, content = false): Frame => ({
    data: namedEvent(type, { type, ...fields, sequence_number: sequence++ }),
    delayMs,
    content,
  });
  const frames: Frame[] = [event('response.created', { response: response('in_progress', [], false) }), event('response.in_progress', { response: response('in_progress', [], false) })];
  items.forEach((item, outputIndex) => {
    // Time to first token passes before the first output item: `response.created` comes at once.
    frames.push(event('response.output_item.added', { output_index: outputIndex, item: item.added }, outputIndex === 0 ? timing.firstTokenMs : 0));
    frames.push(...item.events(event, outputIndex, timing));
    frames.push(event('response.output_item.done', { output_index: outputIndex, item: item.done }));
  });
  frames.push(event(`response.${finalStatus}`, { response: response(finalStatus, items.map((item) => item.done), true) }));
  return ex.stream(frames);
}

type EventMaker = (type: string, fields: JsonObject, delayMs?: number, content?: boolean) => Frame;

/** One output item: as first announced, as finished, and the events in between. */
interface OutputItem {
  added: JsonObject;
  done: JsonObject;
  events(event: EventMaker, outputIndex: number, timing: Timing): Frame[];
}

function outputItems(ex: Exchange, generation: Generation, status: Status): OutputItem[] {
  const items: OutputItem[] = [];
  if (generation.reasoningTokens > 0) {
    const reasoning = { id: `rs_${ex.state.rng.id(48, HEX)}`, type: 'reasoning', summary: [] };
    items.push({ added: reasoning, done: reasoning, events: () => [] });
  }
  if (generation.toolCall) {
    const { name, arguments: args } = generation.toolCall;
    const base = { id: `fc_${ex.state.rng.id(48, HEX)}`, type: 'function_call', call_id: `call_${ex.state.rng.id(24, ALPHANUMERIC)}`, name };
    items.push({
      added: { ...base, status: 'in_progress', arguments: '' },
      done: { ...base, status: 'completed', arguments: args },
      events: (event, outputIndex, timing) => [
        ...splitEvenly(args, 2).map((delta) => event('response.function_call_arguments.delta', { item_id: base.id, output_index: outputIndex, delta }, emitMs(timing, delta.length), true)),
        event('response.function_call_arguments.done', { item_id: base.id, output_index: outputIndex, name, arguments: args }),
      ],
    });
    return items;
  }
  const id = `msg_${ex.state.rng.id(48, HEX)}`;
  const part = (text: string) => ({ type: 'output_text', annotations: [], logprobs: [], text });
  const { text } = generation;
  items.push({
    added: { id, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
    done: { id, type: 'message', status, content: [part(text)], role: 'assistant' },
    events: (event, outputIndex, timing) => {
      const at = { item_id: id, output_index: outputIndex, content_index: 0 };
      return [
        event('response.content_part.added', { ...at, part: part('') }),
        ...splitIntoDeltas(text).map((delta) => event('response.output_text.delta', { ...at, delta, logprobs: [] }, emitMs(timing, delta.length), true)),
        event('response.output_text.done', { ...at, text, logprobs: [] }),
        event('response.content_part.done', { ...at, part: part(text) }),
      ];
    },
  });
  return items;
}
