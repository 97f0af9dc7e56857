import type { AiCallAttributes, AiRequestAttributes } from '../ai/ai-recorder';
import type { AiCallHandle } from '../ai/call-types';
import { observeReadableStream, observeStreamCall, type StreamReader } from '../ai/stream-observer';
import { GEN_AI_OPERATION } from '@modelwatch/conventions';
import { CLIENT_ATTRIBUTION_OPTIONS, type ClientAttributionOptions } from '../attribution/client';
import type { Modelwatch } from '../modelwatch';
import { nonEmptyString, validateOptions, type Shape } from '../options/schema';
import { isObject, reportInternalError, startSdkCall } from './patch';
import { PROVIDER_BY_AI_SDK_ID } from '../providers';
import { definedAttributes, numberField, stopSequences } from './request-fields';

export interface ModelwatchMiddlewareOptions extends ClientAttributionOptions {
  /**
   * `gen_ai_provider_name` of the calls, instead of the one derived from the model's
   * provider id (`openai.chat` → `openai`, `anthropic.messages` → `anthropic`,
   * `google.generative-ai` → `gcp.gemini`…; an unknown id gives its first segment).
   */
  provider?: string;
}

const MIDDLEWARE_OPTIONS: Shape<ModelwatchMiddlewareOptions> = { provider: nonEmptyString, ...CLIENT_ATTRIBUTION_OPTIONS };

/** The parts of an AI SDK language model the middleware reads. */
export interface LanguageModelLike {
  readonly provider: string;
  readonly modelId: string;
}

/**
 * A Vercel AI SDK 6 language model middleware (`LanguageModelV3Middleware`), typed
 * structurally so the exporter does not depend on `ai`; assignable to `LanguageModelMiddleware`.
 */
export interface ModelwatchLanguageModelMiddleware {
  readonly specificationVersion: 'v3';
  wrapGenerate<R>(options: WrapOptions & { doGenerate: () => PromiseLike<R> }): Promise<R>;
  wrapStream<R extends { stream: ReadableStream<unknown> }>(options: WrapOptions & { doStream: () => PromiseLike<R> }): Promise<R>;
}

/** What `wrapGenerate` and `wrapStream` read of their options besides the call itself. */
export interface WrapOptions {
  /** The call options (`LanguageModelV3CallOptions`): the span's request attributes. */
  params?: unknown;
  model: LanguageModelLike;
}

/**
 * Records each model call made through `wrapLanguageModel({ model, middleware: modelwatchMiddleware(mw) })`:
 * `generateText`, `streamText`, `generateObject`, `streamObject` and agents, with the
 * provider and model id of the wrapped model, usage, time to first chunk (the first
 * text, reasoning or tool-call part) and errors.
 *
 * One recorded call is one request to the model: the AI SDK's retries (`maxRetries`)
 * and the steps of a tool loop each count once. A stream ends the call when it ends,
 * when it carries an `error` part or fails (an aborted `abortSignal` → `canceled`), or
 * when its reader cancels it (success, with the usage seen so far).
 */
export function modelwatchMiddleware(mw: Modelwatch, options: ModelwatchMiddlewareOptions = {}): ModelwatchLanguageModelMiddleware {
  validateOptions('modelwatchMiddleware', MIDDLEWARE_OPTIONS, options);
  const start = (model: LanguageModelLike, params: unknown): AiCallHandle | undefined => {
    try {
      const provider = options.provider ?? providerName(model.provider);
      const operation = String(model.provider).endsWith('.completion') ? GEN_AI_OPERATION.textCompletion : GEN_AI_OPERATION.chat;
      const attributes: AiCallAttributes = { provider, model: String(model.modelId), operation };
      if (options.tenant !== undefined) attributes.tenant = options.tenant;
      if (options.feature !== undefined) attributes.feature = options.feature;
      return startSdkCall(mw, attributes, isObject(params) ? () => requestAttributesOf(params) : undefined);
    } catch {
      reportInternalError(mw);
      return undefined;
    }
  };
  async function wrapGenerate<R>({ doGenerate, params, model }: WrapOptions & { doGenerate: () => PromiseLike<R> }): Promise<R> {
    const handle = start(model, params);
    if (!handle) return doGenerate();
    let result: R;
    try {
      result = await handle.run(doGenerate);
    } catch (error) {
      handle.fail(error);
      throw error;
    }
    try {
      handle.readResponse(result);
      handle.end(isObject(result) ? reportedUsage(result.usage) : undefined);
    } catch {
      reportInternalError(mw);
    }
    return result;
  }
  async function wrapStream<R extends { stream: ReadableStream<unknown> }>({ doStream, params, model }: WrapOptions & { doStream: () => PromiseLike<R> }): Promise<R> {
    const handle = start(model, params);
    if (!handle) return doStream();
    let result: R;
    try {
      result = await handle.run(doStream);
    } catch (error) {
      handle.fail(error);
      throw error;
    }
    try {
      return { ...result, stream: observeParts(result.stream, handle, mw, abortSignalOf(params)) };
    } catch {
      reportInternalError(mw);
      return result;
    }
  }
  return { specificationVersion: 'v3', wrapGenerate, wrapStream };
}

/** Stream parts that carry output: the first one marks the time to first chunk. */
const OUTPUT_PARTS = new Set(['text-delta', 'reasoning-delta', 'tool-input-start', 'tool-input-delta', 'tool-call']);

/**
 * The stream, part for part, ending the call as {@link observeStreamCall} says:
 * the usage comes from its `finish` part, an `error` part fails it, and the
 * call's `abortSignal` cancels it even when nobody reads the stream any more.
 */
function observeParts(stream: ReadableStream<unknown>, handle: AiCallHandle, mw: Modelwatch, signal: AbortSignal | undefined): ReadableStream<unknown> {
  let usage: unknown;
  let error: unknown;
  const reader: StreamReader = {
    read(part) {
      if (!isObject(part)) return false;
      if (typeof part.type === 'string' && OUTPUT_PARTS.has(part.type)) return true;
      if (part.type === 'finish') usage = reportedUsage(part.usage);
      else if (part.type === 'error') {
        error = part.error;
        return 'failed';
      }
      return false;
    },
    usage: () => usage,
    failure: () => error,
  };
  return observeReadableStream(stream, observeStreamCall(handle, reader, { signal, onInternalError: () => reportInternalError(mw) }));
}

function abortSignalOf(params: unknown): AbortSignal | undefined {
  const signal = isObject(params) ? params.abortSignal : undefined;
  return isObject(signal) && typeof signal.addEventListener === 'function' ? (signal as unknown as AbortSignal) : undefined;
}

/** Span attributes of AI SDK call options. */
function requestAttributesOf(params: Record<string, unknown>): AiRequestAttributes | undefined {
  return definedAttributes({
    maxTokens: numberField(params, 'maxOutputTokens'),
    temperature: numberField(params, 'temperature'),
    topP: numberField(params, 'topP'),
    topK: numberField(params, 'topK'),
    frequencyPenalty: numberField(params, 'frequencyPenalty'),
    presencePenalty: numberField(params, 'presencePenalty'),
    seed: numberField(params, 'seed'),
    stopSequences: stopSequences(params.stopSequences),
  });
}

/**
 * The usage, or undefined when the provider reported none: AI SDK 6 then gives
 * every count as undefined, which would otherwise read as a call of 0 tokens costing $0.
 */
function reportedUsage(usage: unknown): unknown {
  if (!isObject(usage)) return undefined;
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const total = (count: unknown) => (isObject(count) ? count.total : count);
  return total(input) === undefined && total(output) === undefined ? undefined : usage;
}

/** `gen_ai_provider_name` of an AI SDK provider id: the longest known dotted prefix, else the first segment. */
export function providerName(providerId: string): string {
  const segments = String(providerId).split('.');
  for (let length = segments.length; length > 0; length--) {
    const known = PROVIDER_BY_AI_SDK_ID.get(segments.slice(0, length).join('.'));
    if (known !== undefined) return known;
  }
  return segments[0] ?? '';
}
