import type { ChatModel, Provider } from './models';

/** One chat turn as the demo asks it of any provider. */
export interface ChatRequest {
  prompt: string;
  model: ChatModel;
  maxTokens: number;
  signal?: AbortSignal;
}

/**
 * A finished answer. `model` and `usage` are the provider's own (the SDK response
 * shape), which is what lets the exporter price a cached answer when it is served again.
 */
export interface ChatAnswer {
  text: string;
  provider: Provider;
  /** The model that answered, as requested (not the dated snapshot). */
  model: string;
  usage: unknown;
}

/**
 * A stream of text deltas. Creating it performs the HTTP request, so provider
 * errors (429, 5xx) surface before the first delta, where failover is still possible.
 */
export interface ChatStream extends AsyncIterable<string> {
  /** The whole answer; complete once iteration has finished. */
  answer(): ChatAnswer;
}

/** Talks to one provider through its official SDK client. */
export interface ChatBackend {
  readonly provider: Provider;
  complete(request: ChatRequest): Promise<ChatAnswer>;
  stream(request: ChatRequest): Promise<ChatStream>;
}
