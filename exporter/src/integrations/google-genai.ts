import type { AiRequestAttributes } from '../ai/ai-recorder';
import type { AiCallHandle } from '../ai/call-types';
import { observeIterator, observeStreamCall, type StreamReader } from '../ai/stream-observer';
import { GEN_AI_OPERATION, GEN_AI_PROVIDER } from '@modelwatch/conventions';
import { CLIENT_ATTRIBUTION_OPTIONS, type ClientAttributionOptions } from '../attribution/client';
import type { Modelwatch } from '../modelwatch';
import { nonEmptyString, validateOptions, type Shape } from '../options/schema';
import { claim, isObject, reportInternalError, startSdkCall, wrapMethod, type Method } from './patch';
import { definedAttributes, numberField, serverOf, stopSequences } from './request-fields';
import { attributesByModel, observedCalls, type MethodSpec, type ResultReader } from './sdk-call';

export interface GoogleGenAIInstrumentationOptions extends ClientAttributionOptions {
  /**
   * `gen_ai_provider_name` of the calls, so prices are looked up under that provider.
   * @defaultValue `'gcp.vertex_ai'` for a client in Vertex AI mode (`vertexai: true`), else `'gcp.gemini'`
   */
  provider?: string;
}

const GOOGLE_GENAI_OPTIONS: Shape<GoogleGenAIInstrumentationOptions> = { provider: nonEmptyString, ...CLIENT_ATTRIBUTION_OPTIONS };

/** What tells a `@google/genai` client apart from other clients; the rest is checked at run time. */
export interface GoogleGenAIClientLike {
  models: object;
}

/**
 * Records every model request of this one `@google/genai` client (`GoogleGenAI`, v1 to v3):
 * `models.generateContent`, `models.generateContentStream` and `models.embedContent`, and
 * what is built on them (`chats`). Other clients and the SDK's classes are not touched.
 *
 * The SDK turns one `generateContent` into several requests when it calls functions for
 * the application (automatic function calling) or resumes a cut answer (automatic
 * continuation): each request is one call, with its own tokens, because the methods
 * observed are the ones that send a request (`generateContentInternal`,
 * `generateContentStreamInternal`, `embedContentInternal` on `client.models`).
 *
 * Returns the same client; every method returns what it returned before. Instrumenting
 * a client again does nothing. A stream is recorded when it ends, is left early, fails
 * or is aborted through `config.abortSignal` (see the README on streams).
 */
export function instrumentGoogleGenAI<C extends GoogleGenAIClientLike>(client: C, mw: Modelwatch, options: GoogleGenAIInstrumentationOptions = {}): C {
  // Bad options are the app's setup error, thrown before any call; everything after never throws.
  validateOptions('instrumentGoogleGenAI', GOOGLE_GENAI_OPTIONS, options);
  try {
    if (!claim(client, mw, 'instrumentGoogleGenAI')) return client;
    const resources = client as unknown as Record<string, unknown>;
    const provider = options.provider ?? (resources.vertexai === true ? GEN_AI_PROVIDER.gcpVertexAi : GEN_AI_PROVIDER.gcpGemini);
    const server = serverOf(baseUrlOf(resources.apiClient));
    const spec = (operation: string): MethodSpec => {
      const base: MethodSpec = { provider, operation, reader: RESPONSES, requestAttributes, attribution: options };
      if (server) base.server = server;
      return base;
    };
    const models = resources.models;
    // An SDK that renamed the methods sending requests would go unobserved: that is counted, not silent.
    if (!isObject(models) || typeof models.generateContentInternal !== 'function') reportInternalError(mw);
    const generate = observedRequest(mw, spec(GEN_AI_OPERATION.generateContent));
    wrapMethod(client, models, 'generateContentInternal', generate);
    wrapMethod(client, models, 'generateContentStreamInternal', generate);
    wrapMethod(client, models, 'embedContentInternal', observedRequest(mw, spec(GEN_AI_OPERATION.embeddings)));
  } catch {
    reportInternalError(mw);
  }
  return client;
}

/**
 * Wraps an SDK method taking `({ model, contents, config })` and returning a plain Promise of
 * the response, or of an async generator of responses: the call is recorded under the model
 * named in the parameters, without the `models/` or Vertex AI resource prefix. The SDK method
 * runs with the call's span active; a stream is handed on observed (the SDK's own code, not the
 * application, iterates it). Telemetry never breaks the call: when Modelwatch fails, the call
 * goes on unobserved and `modelwatch_instrumentation_errors_total{reason="internal"}` counts it.
 */
function observedRequest(mw: Modelwatch, spec: MethodSpec): (original: Method) => Method {
  const attributesOf = attributesByModel(spec);
  const read = spec.requestAttributes;
  return observedCalls(mw, {
    start(args) {
      const params = args[0];
      const config = configOf(params);
      return withSdkTimeouts(startSdkCall(mw, attributesOf(modelOf(params)), read && config ? () => read(config) : undefined), abortSignalOf(config));
    },
    settle(result, handle, args) {
      if (!(result instanceof Promise)) {
        // Not the SDK's async method any more: left alone, and counted.
        handle.end(undefined);
        reportInternalError(mw);
        return result;
      }
      return result.then(
        (response: unknown) => {
          try {
            if (isAsyncIterator(response)) {
              const signal = abortSignalOf(configOf(args[0]));
              return observeIterator(response, observeStreamCall(handle, spec.reader.streamReader(), { signal, onInternalError: () => reportInternalError(mw) }));
            }
            handle.readResponse(response);
            handle.end(spec.reader.responseUsage(response));
          } catch {
            reportInternalError(mw);
          }
          return response;
        },
        (error: unknown) => {
          handle.fail(error);
          throw error;
        },
      );
    },
  });
}

function configOf(params: unknown): Record<string, unknown> | undefined {
  return isObject(params) && isObject(params.config) ? params.config : undefined;
}

/** The application's `config.abortSignal`, if any. */
function abortSignalOf(config: Record<string, unknown> | undefined): AbortSignal | undefined {
  return config?.abortSignal instanceof AbortSignal ? config.abortSignal : undefined;
}

/**
 * `handle`, failing with a `TimeoutError` where the SDK's own timeout aborted the request: the
 * SDK aborts a request itself only when `httpOptions.timeout` passes, with the same `AbortError`
 * as the application's `config.abortSignal`, so an abort that signal did not make is the timeout.
 */
function withSdkTimeouts(handle: AiCallHandle, signal: AbortSignal | undefined): AiCallHandle {
  return {
    firstChunk: () => handle.firstChunk(),
    end: (usage) => handle.end(usage),
    fail: (error) => handle.fail(isAbortError(error) && !signal?.aborted ? new DOMException('The request timed out.', 'TimeoutError') : error),
    run: (fn) => handle.run(fn),
    readResponse: (bodyOrChunk) => handle.readResponse(bodyOrChunk),
    setContent: (content) => handle.setContent(content),
  };
}

function isAbortError(error: unknown): boolean {
  return isObject(error) && error.name === 'AbortError';
}

/**
 * `GenerateContentResponse` and `EmbedContentResponse`: usage in `usageMetadata`; streamed,
 * every chunk carries the usage so far (the last one the final counts), and output is in
 * its candidates' parts.
 */
const RESPONSES: ResultReader = {
  responseUsage: usageMetadataOf,
  streamReader(): StreamReader {
    let usage: unknown;
    return {
      read(chunk) {
        const found = usageMetadataOf(chunk);
        if (found !== undefined) usage = found;
        return isObject(chunk) && Array.isArray(chunk.candidates) && chunk.candidates.some(candidateHasOutput);
      },
      usage: () => usage,
    };
  },
};

function usageMetadataOf(body: unknown): unknown {
  return isObject(body) && isObject(body.usageMetadata) ? body.usageMetadata : undefined;
}

function candidateHasOutput(candidate: unknown): boolean {
  const content = isObject(candidate) ? candidate.content : undefined;
  if (!isObject(content) || !Array.isArray(content.parts)) return false;
  return content.parts.some(
    (part) => isObject(part) && ((typeof part.text === 'string' && part.text.length > 0) || isObject(part.functionCall) || isObject(part.inlineData) || isObject(part.executableCode)),
  );
}

/** Span attributes of a request's `config` (the SDK's flat generation config). */
function requestAttributes(config: Record<string, unknown>): AiRequestAttributes | undefined {
  return definedAttributes({
    maxTokens: numberField(config, 'maxOutputTokens'),
    temperature: numberField(config, 'temperature'),
    topP: numberField(config, 'topP'),
    topK: numberField(config, 'topK'),
    frequencyPenalty: numberField(config, 'frequencyPenalty'),
    presencePenalty: numberField(config, 'presencePenalty'),
    seed: numberField(config, 'seed'),
    stopSequences: stopSequences(config.stopSequences),
  });
}

/**
 * The model of the request parameters as prices and dashboards name it: `models/gemini-2.5-flash`
 * (Gemini API) and `publishers/google/models/…` or `projects/…/models/…` (Vertex AI) are
 * `gemini-2.5-flash`; other names (`tunedModels/…`) are kept whole. '' when absent.
 */
export function modelOf(params: unknown): string {
  const model = isObject(params) ? params.model : undefined;
  if (typeof model !== 'string') return '';
  const at = model.lastIndexOf('models/');
  return at === 0 || (at > 0 && model[at - 1] === '/') ? model.slice(at + 'models/'.length) : model;
}

/** The base URL the client's API client sends to; undefined when it has none (or is not the SDK's). */
function baseUrlOf(apiClient: unknown): unknown {
  if (!isObject(apiClient) || typeof apiClient.getBaseUrl !== 'function') return undefined;
  try {
    return (apiClient.getBaseUrl as () => unknown)();
  } catch {
    return undefined;
  }
}

function isAsyncIterator(value: unknown): value is AsyncIterator<unknown> {
  return isObject(value) && typeof value.next === 'function' && typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}
