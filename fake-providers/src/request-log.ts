import type { FaultKind } from './faults';
import type { ProviderName } from './models';

/** One request the fake received, for assertions. */
export interface RecordedRequest {
  /** Which API the path belongs to; `undefined` for paths outside both. */
  provider: ProviderName | undefined;
  /** Method and path, e.g. `POST /openai/v1/chat/completions`. */
  path: string;
  /** The `model` the request asked for, when it named one. */
  model: string | undefined;
  /** Whether the request asked for a stream. */
  stream: boolean;
  /**
   * The HTTP status sent; `undefined` while nothing was sent yet, and for good when the
   * connection was closed without an answer (`timeout`, non-stream `disconnect`, client gone).
   */
  status: number | undefined;
  /**
   * The fault applied, if any (from the registry or the `x-fake-*` headers). A 429 of an
   * exhausted rate-limit budget is no fault: its status tells it.
   */
  fault: FaultKind | undefined;
  /** The request id sent in `x-request-id` (OpenAI) or `request-id` (Anthropic). */
  requestId: string;
  /** When the request arrived (epoch milliseconds). */
  at: number;
}

/** A bounded ring of the most recent requests. */
export class RequestLog {
  readonly #capacity: number;
  #entries: RecordedRequest[] = [];

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(entry: RecordedRequest): void {
    this.#entries.push(entry);
    // Trim in batches: amortised O(1) per request instead of a copy per request.
    if (this.#entries.length >= 2 * this.#capacity) this.#entries = this.#entries.slice(-this.#capacity);
  }

  /** A copy of the most recent entries (at most the capacity), oldest first. */
  snapshot(): readonly RecordedRequest[] {
    return this.#entries.slice(-this.#capacity).map((entry) => ({ ...entry }));
  }

  clear(): void {
    this.#entries = [];
  }
}
