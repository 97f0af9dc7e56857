import type { AiRequestAttributes } from '../ai/ai-recorder';
import type { StreamReader } from '../ai/stream-observer';
import { GEN_AI_OPERATION, GEN_AI_PROVIDER } from '@modelwatch/conventions';
import { CLIENT_ATTRIBUTION_OPTIONS, type ClientAttributionOptions } from '../attribution/client';
import type { Modelwatch } from '../modelwatch';
import { nonEmptyString, validateOptions, type Shape } from '../options/schema';
import { claim, isObject, reportInternalError, wrapMethod } from './patch';
import { definedAttributes, numberField, serverOf, stopSequences, usageField } from './request-fields';
import { observedMethod, type MethodSpec, type ResultReader } from './sdk-call';

export interface AnthropicInstrumentationOptions extends ClientAttributionOptions {
  /**
   * `gen_ai_provider_name` of the calls: set it for Claude served by another
   * platform through this SDK (`aws.bedrock`, `gcp.vertex_ai`), so prices are looked up there.
   * @defaultValue `'anthropic'`
   */
  provider?: string;
}

const ANTHROPIC_OPTIONS: Shape<AnthropicInstrumentationOptions> = { provider: nonEmptyString, ...CLIENT_ATTRIBUTION_OPTIONS };

/** What tells an `@anthropic-ai/sdk` client apart from other clients; the rest is checked at run time. */
export interface AnthropicClientLike {
  messages: object;
}

/**
 * Records every model call of this one `@anthropic-ai/sdk` client: `messages.create`
 * and `beta.messages.create`, streamed or not, and the helpers built on them
 * (`messages.stream()`, `messages.parse()`, the beta tool runner). Clients made from
 * it with `withOptions()` are instrumented too; other clients and the SDK's classes
 * are not touched.
 *
 * Returns the same client. Every method returns what it returned before — the same
 * `APIPromise` (`withResponse()`, `asResponse()`) and the same `Stream` (`controller`,
 * `tee()`, `toReadableStream()`). Instrumenting a client again does nothing.
 *
 * Each call is recorded once, including the SDK's retries; a stream when it ends,
 * is left early, fails or is aborted (see the README on streams).
 */
export function instrumentAnthropic<C extends AnthropicClientLike>(client: C, mw: Modelwatch, options: AnthropicInstrumentationOptions = {}): C {
  // Bad options are the app's setup error, thrown before any call; everything after never throws.
  validateOptions('instrumentAnthropic', ANTHROPIC_OPTIONS, options);
  try {
    if (!claim(client, mw, 'instrumentAnthropic')) return client;
    const resources = client as unknown as Record<string, unknown>;
    const spec: MethodSpec = { provider: options.provider ?? GEN_AI_PROVIDER.anthropic, operation: GEN_AI_OPERATION.chat, reader: MESSAGE_EVENTS, requestAttributes, attribution: options };
    const server = serverOf(resources.baseURL);
    if (server) spec.server = server;
    const create = observedMethod(mw, spec);
    wrapMethod(client, resources.messages, 'create', create);
    const beta = resources.beta;
    wrapMethod(client, isObject(beta) ? beta.messages : undefined, 'create', create);
    wrapMethod(client, client, 'withOptions', (original) =>
      function withOptionsObserved(this: unknown, ...args: unknown[]) {
        const copy = original.apply(this, args);
        return isObject(copy) && isObject(copy.messages) ? instrumentAnthropic(copy as unknown as AnthropicClientLike, mw, options) : copy;
      },
    );
  } catch {
    reportInternalError(mw);
  }
  return client;
}

/** Span attributes of a Messages request. */
function requestAttributes(body: Record<string, unknown>): AiRequestAttributes | undefined {
  return definedAttributes({
    maxTokens: numberField(body, 'max_tokens'),
    temperature: numberField(body, 'temperature'),
    topP: numberField(body, 'top_p'),
    topK: numberField(body, 'top_k'),
    stopSequences: stopSequences(body.stop_sequences),
  });
}

/**
 * Messages stream events: input and cache counts in `message_start`, output counts
 * (cumulative, sometimes with updated input counts) in `message_delta`; merged field
 * by field, later values winning, nulls ignored. Output is in `content_block_delta`.
 */
const MESSAGE_EVENTS: ResultReader = {
  responseUsage: usageField,
  streamReader(): StreamReader {
    let usage: Record<string, unknown> | undefined;
    const merge = (part: unknown) => {
      if (!isObject(part)) return;
      usage ??= {};
      for (const [field, value] of Object.entries(part)) if (value !== null && value !== undefined) usage[field] = value;
    };
    return {
      read(event) {
        if (!isObject(event)) return false;
        switch (event.type) {
          case 'content_block_delta':
            return true;
          case 'message_start':
            if (isObject(event.message)) merge(event.message.usage);
            return false;
          case 'message_delta':
            merge(event.usage);
            return false;
          default:
            return false;
        }
      },
      usage: () => usage,
    };
  },
};
