import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { DeferredAiCallAttributes, AiRequestAttributes } from '../ai/ai-recorder';
import type { AiCallContent } from '../ai/call-types';
import { normalizeUsage } from '../ai/usage';
import { GEN_AI_OPERATION } from '@modelwatch/conventions';
import { contentAttribute } from './content';
import type { ResolvedTracingOptions } from './options';
import { finishReasonsOf, mergeResponseInfo, type ResponseInfo } from './response-info';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_STOP_SEQUENCES,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_K,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from './semconv';
import type { TracerSource } from './tracer-source';

/** Longest span status description taken from an error message. */
const STATUS_MESSAGE_MAX_LENGTH = 1024;

/** `AiRequestAttributes` key → span attribute. */
const REQUEST_ATTRIBUTES: readonly (readonly [keyof AiRequestAttributes, string])[] = [
  ['maxTokens', ATTR_GEN_AI_REQUEST_MAX_TOKENS],
  ['temperature', ATTR_GEN_AI_REQUEST_TEMPERATURE],
  ['topP', ATTR_GEN_AI_REQUEST_TOP_P],
  ['topK', ATTR_GEN_AI_REQUEST_TOP_K],
  ['frequencyPenalty', ATTR_GEN_AI_REQUEST_FREQUENCY_PENALTY],
  ['presencePenalty', ATTR_GEN_AI_REQUEST_PRESENCE_PENALTY],
  ['seed', ATTR_GEN_AI_REQUEST_SEED],
  ['stopSequences', ATTR_GEN_AI_REQUEST_STOP_SEQUENCES],
];

/** How a call ended, for its span. */
export interface CallEnd {
  /** What `end()` was given: the response, or the usage merged from stream chunks. */
  result: unknown;
  /** The usage inside `result` (or `result` itself). */
  usage: unknown;
  timeToFirstChunkSeconds: number | undefined;
}

/**
 * Starts GenAI CLIENT spans (`{operation} {model}`, OTel GenAI semconv) for AI
 * calls. Never throws: a failure to start gives no span and is counted.
 */
export class GenAiSpans {
  constructor(
    private readonly tracers: TracerSource,
    private readonly options: ResolvedTracingOptions,
    private readonly reportError: () => void,
  ) {}

  /** The span of one call, a child of the active span; undefined while no SDK is registered. */
  start(attributes: DeferredAiCallAttributes): GenAiSpan | undefined {
    const tracer = this.tracers.current();
    if (tracer === undefined) return undefined;
    try {
      const provider = String(attributes.provider);
      const model = String(attributes.model);
      const operation = String(attributes.operation ?? GEN_AI_OPERATION.chat);
      const spanAttributes: Attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: operation,
        [ATTR_GEN_AI_PROVIDER_NAME]: provider,
        [ATTR_GEN_AI_REQUEST_MODEL]: model,
      };
      if (this.options.emitLegacyGenAiSystem) spanAttributes[ATTR_GEN_AI_SYSTEM] = provider;
      if (typeof attributes.serverAddress === 'string' && attributes.serverAddress !== '') {
        spanAttributes[ATTR_SERVER_ADDRESS] = attributes.serverAddress;
        if (isPort(attributes.serverPort)) spanAttributes[ATTR_SERVER_PORT] = attributes.serverPort;
      }
      const requestAttributes = attributes.requestAttributes ?? attributes.readRequestAttributes?.();
      if (requestAttributes !== undefined) addRequestAttributes(spanAttributes, requestAttributes);
      const parent = context.active();
      const span = tracer.startSpan(model === '' ? operation : `${operation} ${model}`, { kind: SpanKind.CLIENT, attributes: spanAttributes }, parent);
      return new GenAiSpan(span, trace.setSpan(parent, span), provider, this.options.captureContent, this.reportError);
    } catch {
      this.reportError();
      return undefined;
    }
  }
}

/** The span of one AI call; ended once, by `end` or `fail`. Every method is safe to call in any state and never throws. */
export class GenAiSpan {
  private readonly recording: boolean;
  private info: ResponseInfo | undefined;
  private sawChunk = false;
  private ended = false;

  constructor(
    /** The OTel span itself. */
    readonly span: Span,
    /** The caller's context with this span active: run the call in it. */
    readonly context: Context,
    private readonly provider: string,
    private readonly captureContent: boolean,
    private readonly reportError: () => void,
  ) {
    this.recording = span.isRecording();
  }

  /** Reads response id, model and finish reasons from a response body or a stream chunk (`streamed`: marks the call as streamed). */
  chunk(value: unknown, streamed: boolean): void {
    if (streamed) this.sawChunk = true;
    if (this.recording && !this.ended) this.info = mergeResponseInfo(this.info, value);
  }

  /** Records prompt and completion, only when content capture is on. */
  setContent(content: AiCallContent): void {
    if (!this.captureContent || !this.recording || this.ended) return;
    try {
      const input = content.input === undefined ? undefined : contentAttribute(content.input);
      const output = content.output === undefined ? undefined : contentAttribute(content.output);
      if (input !== undefined) this.span.setAttribute(ATTR_GEN_AI_INPUT_MESSAGES, input);
      if (output !== undefined) this.span.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, output);
    } catch {
      this.reportError();
    }
  }

  end(call: CallEnd): void {
    if (this.ended) return;
    this.ended = true;
    try {
      if (this.recording) {
        this.info = mergeResponseInfo(this.info, call.result);
        this.span.setAttributes(this.endAttributes(call.usage, call.timeToFirstChunkSeconds));
      }
    } catch {
      this.reportError();
    }
    this.close();
  }

  fail(error: unknown, errorType: string, timeToFirstChunkSeconds: number | undefined): void {
    if (this.ended) return;
    this.ended = true;
    try {
      if (this.recording) {
        const attributes = this.endAttributes(undefined, timeToFirstChunkSeconds);
        attributes[ATTR_ERROR_TYPE] = errorType;
        this.span.setAttributes(attributes);
        this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
      }
    } catch {
      this.reportError();
    }
    this.close();
  }

  private endAttributes(usage: unknown, timeToFirstChunkSeconds: number | undefined): Attributes {
    const attributes: Attributes = {};
    const { info } = this;
    if (info?.id !== undefined) attributes[ATTR_GEN_AI_RESPONSE_ID] = info.id;
    if (info?.model !== undefined) attributes[ATTR_GEN_AI_RESPONSE_MODEL] = info.model;
    const finishReasons = finishReasonsOf(info);
    if (finishReasons !== undefined) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = finishReasons;
    if (usage !== undefined && usage !== null) {
      // Invalid usage is already counted by the recorder; the span just goes without it.
      const normalized = normalizeUsage(usage, this.provider);
      if (normalized.ok) {
        const tokens = normalized.usage;
        attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = tokens.input;
        attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = tokens.output;
        if (tokens.cacheRead > 0) attributes[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = tokens.cacheRead;
        if (tokens.cacheCreation > 0) attributes[ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = tokens.cacheCreation;
        if (tokens.reasoning > 0) attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = tokens.reasoning;
      }
    }
    if (this.sawChunk || timeToFirstChunkSeconds !== undefined) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
    if (timeToFirstChunkSeconds !== undefined) attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = timeToFirstChunkSeconds;
    return attributes;
  }

  private close(): void {
    try {
      this.span.end();
    } catch {
      this.reportError();
    }
  }
}

function addRequestAttributes(target: Attributes, request: AiRequestAttributes): void {
  for (const [key, attribute] of REQUEST_ATTRIBUTES) {
    const value = request[key];
    if (typeof value === 'number' && Number.isFinite(value)) target[attribute] = value;
    else if (Array.isArray(value)) target[attribute] = value.filter((item): item is string => typeof item === 'string');
  }
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536;
}

/** The error's own message, never anything else of the call (a thrown non-Error gives none). */
function errorMessage(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    const message = (error as { message?: unknown }).message;
    if (typeof message !== 'string' || message === '') return undefined;
    return message.length > STATUS_MESSAGE_MAX_LENGTH ? message.slice(0, STATUS_MESSAGE_MAX_LENGTH) : message;
  } catch {
    return undefined;
  }
}
