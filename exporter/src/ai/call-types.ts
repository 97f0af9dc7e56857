/**
 * The types every part of an AI call shares (the tracker, the stream observers,
 * the spans, the integrations). A leaf: it imports nothing, so none of them
 * imports another only for its types.
 */

/**
 * Prompt and completion of a call, for its span. Recorded only with
 * `tracing: { captureContent: true }`; pass messages in the OTel GenAI JSON schema
 * (`[{ role: 'user', parts: [{ type: 'text', content: '…' }] }]`), or a JSON string.
 */
export interface AiCallContent {
  /** `gen_ai.input.messages` */
  input?: unknown;
  /** `gen_ai.output.messages` */
  output?: unknown;
}

/** A call in progress, for code that cannot be wrapped in one function. Every method is safe to call more than once: the call is recorded once. */
export interface AiCallHandle {
  /** Marks the arrival of the first streamed chunk; later calls are ignored. */
  firstChunk(): void;
  /** Ends the call as a success; `usage` is the provider's usage object (or a response holding one, which also gives the span its response id, model and finish reasons). */
  end(usage?: unknown): void;
  /** Ends the call as a failure; the error is classified into `error_type`. */
  fail(error: unknown): void;
  /**
   * Runs `fn` with the call's span active, so spans made inside (the SDK's HTTP
   * request) become its children; returns what `fn` returns. Just calls `fn` when
   * there is no span. `observeAiCall` already runs its function this way.
   */
  run<T>(fn: () => T): T;
  /** Reads the span's response id, model and finish reasons from a response body or one stream chunk (call it for each); a no-op without a recording span. */
  readResponse(bodyOrChunk: unknown): void;
  /** Hands prompt and completion to the span; a no-op unless `tracing: { captureContent: true }`. */
  setContent(content: AiCallContent): void;
}

/** What a stream reports to: the call's handle, and each chunk when something reads them (the call's span). */
export interface StreamHandle extends AiCallHandle {
  chunk?(value: unknown): void;
}

/** Token counts of one AI call under the OTel inclusive rule: input includes cacheRead and cacheCreation; reasoning is a subset of output. */
export interface NormalizedUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  reasoning: number;
}
