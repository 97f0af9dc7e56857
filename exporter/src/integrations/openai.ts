import type { AiRequestAttributes } from '../ai/ai-recorder';
import type { StreamReader } from '../ai/stream-observer';
import { GEN_AI_OPERATION, GEN_AI_PROVIDER } from '@modelwatch/conventions';
import { CLIENT_ATTRIBUTION_OPTIONS, type ClientAttributionOptions } from '../attribution/client';
import type { Modelwatch } from '../modelwatch';
import { boolean, nonEmptyString, validateOptions, type Shape } from '../options/schema';
import { claim, isObject, reportInternalError, wrapMethod } from './patch';
import { definedAttributes, numberField, serverOf, stopSequences, usageField } from './request-fields';
import { observedMethod, type MethodSpec, type ResultReader } from './sdk-call';

export interface OpenAIInstrumentationOptions extends ClientAttributionOptions {
  /**
   * `gen_ai_provider_name` of the calls: set it when the client talks to another
   * service through the OpenAI API (`azure.ai.openai`, `groq`, `deepseek`, `x_ai`…),
   * so prices are looked up under that provider.
   * @defaultValue `'openai'`
   */
  provider?: string;
  /**
   * Adds `stream_options: { include_usage: true }` to streaming chat and text
   * completion requests that leave `include_usage` unset, so streamed calls record
   * tokens and cost too (without it OpenAI sends no usage in a stream). The stream
   * then ends with one more chunk whose `choices` is empty: code that reads
   * `chunk.choices[0]` without a check must tolerate it. Requests that set
   * `include_usage` themselves, to `true` or `false`, are sent as they are.
   * @defaultValue false
   */
  includeStreamUsage?: boolean;
}

const OPENAI_OPTIONS: Shape<OpenAIInstrumentationOptions> = { provider: nonEmptyString, includeStreamUsage: boolean, ...CLIENT_ATTRIBUTION_OPTIONS };

/** What tells an `openai` client apart from other clients; the rest is checked at run time. */
export interface OpenAIClientLike {
  chat: { completions: object };
}

/**
 * Records every model call of this one `openai` client (v6; the Stainless internals
 * it relies on are those of v4 and v5 too): `chat.completions.create` and the helpers
 * built on it (`parse`, `stream`, `runTools`), `responses.create` (and `parse`, `stream`),
 * `completions.create` and `embeddings.create`, streamed or not. Clients made from it
 * with `withOptions()` are instrumented too; other clients and the SDK's classes are not touched.
 *
 * Returns the same client. Every method returns what it returned before — the same
 * `APIPromise` (`withResponse()`, `asResponse()`) and the same `Stream` (`controller`,
 * `tee()`, `toReadableStream()`). Instrumenting a client again does nothing.
 *
 * Each call is recorded once, including the SDK's retries; a stream when it ends,
 * is left early, fails or is aborted (see the README on streams).
 */
export function instrumentOpenAI<C extends OpenAIClientLike>(client: C, mw: Modelwatch, options: OpenAIInstrumentationOptions = {}): C {
  // Bad options are the app's setup error, thrown before any call; everything after never throws.
  validateOptions('instrumentOpenAI', OPENAI_OPTIONS, options);
  try {
    if (!claim(client, mw, 'instrumentOpenAI')) return client;
    const resources = client as unknown as Record<string, unknown>;
    const provider = options.provider ?? GEN_AI_PROVIDER.openai;
    const server = serverOf(resources.baseURL);
    const prepare = options.includeStreamUsage ? withStreamUsage : undefined;
    const spec = (operation: string, reader: ResultReader, withPrepare = false): MethodSpec => {
      const base: MethodSpec = { provider, operation, reader, requestAttributes, attribution: options };
      if (server) base.server = server;
      if (withPrepare && prepare) base.prepare = prepare;
      return base;
    };
    const chat = resources.chat;
    wrapMethod(client, isObject(chat) ? chat.completions : undefined, 'create', observedMethod(mw, spec(GEN_AI_OPERATION.chat, CHUNKS, true)));
    // The Responses API generates chat turns: `chat` in the GenAI semantic conventions, as in OTel's own instrumentation.
    wrapMethod(client, resources.responses, 'create', observedMethod(mw, spec(GEN_AI_OPERATION.chat, RESPONSE_EVENTS)));
    wrapMethod(client, resources.completions, 'create', observedMethod(mw, spec(GEN_AI_OPERATION.textCompletion, CHUNKS, true)));
    wrapMethod(client, resources.embeddings, 'create', observedMethod(mw, spec(GEN_AI_OPERATION.embeddings, NO_STREAM)));
    wrapMethod(client, client, 'withOptions', (original) =>
      function withOptionsObserved(this: unknown, ...args: unknown[]) {
        const copy = original.apply(this, args);
        return isObject(copy) && isObject(copy.chat) ? instrumentOpenAI(copy as unknown as OpenAIClientLike, mw, options) : copy;
      },
    );
  } catch {
    reportInternalError(mw);
  }
  return client;
}

/** Span attributes of a chat, Responses, completion or embeddings request. */
function requestAttributes(body: Record<string, unknown>): AiRequestAttributes | undefined {
  return definedAttributes({
    maxTokens: numberField(body, 'max_completion_tokens', 'max_output_tokens', 'max_tokens'),
    temperature: numberField(body, 'temperature'),
    topP: numberField(body, 'top_p'),
    frequencyPenalty: numberField(body, 'frequency_penalty'),
    presencePenalty: numberField(body, 'presence_penalty'),
    seed: numberField(body, 'seed'),
    stopSequences: stopSequences(body.stop),
  });
}

/** The request with `stream_options.include_usage` set, when it streams and leaves it unset; else the request itself. */
export function withStreamUsage(body: unknown): unknown {
  if (!isObject(body) || body.stream !== true) return body;
  const streamOptions = isObject(body.stream_options) ? body.stream_options : undefined;
  if (streamOptions?.include_usage !== undefined && streamOptions.include_usage !== null) return body;
  return { ...body, stream_options: { ...streamOptions, include_usage: true } };
}

/** Chat completion and legacy completion chunks: output in the choices' deltas (or `text`), usage on the last chunk. */
const CHUNKS: ResultReader = {
  responseUsage: usageField,
  streamReader(): StreamReader {
    let usage: unknown;
    return {
      read(chunk) {
        if (!isObject(chunk)) return false;
        if (isObject(chunk.usage)) usage = chunk.usage;
        return Array.isArray(chunk.choices) && chunk.choices.some(choiceHasOutput);
      },
      usage: () => usage,
    };
  },
};

function choiceHasOutput(choice: unknown): boolean {
  if (!isObject(choice)) return false;
  if (nonEmpty(choice.text)) return true;
  const delta = choice.delta;
  if (!isObject(delta)) return false;
  return (
    nonEmpty(delta.content) ||
    nonEmpty(delta.refusal) ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) ||
    isObject(delta.function_call) ||
    // Reasoning text of OpenAI-compatible servers (DeepSeek, vLLM…).
    nonEmpty(delta.reasoning_content) ||
    nonEmpty(delta.reasoning)
  );
}

/** Responses API events: output in the `*.delta` events, usage on the final `response.*` event. */
const RESPONSE_EVENTS: ResultReader = {
  responseUsage: usageField,
  streamReader(): StreamReader {
    let usage: unknown;
    let failure: ResponseFailedError | undefined;
    return {
      read(event) {
        if (!isObject(event) || typeof event.type !== 'string') return false;
        if (FINAL_RESPONSE_EVENTS.has(event.type)) {
          const response = event.response;
          if (isObject(response) && isObject(response.usage)) usage = response.usage;
          if (event.type === 'response.failed') failure = new ResponseFailedError(isObject(response) ? response.error : undefined);
          return false;
        }
        return event.type.endsWith('.delta');
      },
      usage: () => usage,
      failure: () => failure,
    };
  },
};

const FINAL_RESPONSE_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/**
 * A streamed response that ended with `response.failed`. Its `status` is the HTTP status
 * the same failure gets outside a stream, so it is classified alike: `rate_limit_exceeded`
 * → 429, `server_error` → 500, `vector_store_timeout` → 504, anything else (invalid
 * prompt or image) → 400.
 */
export class ResponseFailedError extends Error {
  override readonly name = 'ResponseFailedError';
  readonly code: string | undefined;
  readonly status: number;

  constructor(error: unknown) {
    const code = isObject(error) && typeof error.code === 'string' ? error.code : undefined;
    super(isObject(error) && typeof error.message === 'string' ? error.message : `The response failed${code ? ` (${code})` : ''}.`);
    this.code = code;
    this.status = RESPONSE_ERROR_STATUS.get(code ?? '') ?? 400;
  }
}

const RESPONSE_ERROR_STATUS: ReadonlyMap<string, number> = new Map([
  ['rate_limit_exceeded', 429],
  ['server_error', 500],
  ['vector_store_timeout', 504],
]);

const NO_STREAM: ResultReader = {
  responseUsage: usageField,
  streamReader: () => ({ read: () => false, usage: () => undefined }),
};

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}
