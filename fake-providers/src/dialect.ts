import type { ProviderName } from './models';
import type { Random } from './random';
import type { LimitState } from './rate-limits';

/** The API errors the fake answers with, before each provider's wording. */
export type ApiErrorKind = 'rate_limit' | 'server_error' | 'overloaded' | 'invalid_request' | 'not_found' | 'too_large';

/** An API error to send. */
export interface ApiError {
  kind: ApiErrorKind;
  /** Replaces the provider's standard message. */
  message?: string;
  /** OpenAI's `param`: the request field at fault. */
  param?: string;
  /** OpenAI's `code`. */
  code?: string;
  /** The model the request named, for messages that mention it. */
  model?: string;
  /** Sent as `retry-after` (seconds). */
  retryAfterSeconds?: number;
  /** `rate_limit` of an exhausted budget: which limit, and what the request needed of it. */
  exhausted?: LimitState & { requested: number };
}

/** Context for the headers every response carries. */
export interface HeaderContext {
  /** The fake's clock (epoch milliseconds), for absolute reset times. */
  now: number;
  /** The requested model's rate-limit budget, once the model is known. */
  rateLimits?: readonly LimitState[];
  retryAfterSeconds?: number;
}

/** What differs between the providers outside the endpoints: ids, headers, error shapes. */
export interface ProviderDialect {
  readonly provider: ProviderName;
  /** A new request id in the provider's format. */
  requestId(rng: Random): string;
  /** Headers for every response: request id, rate-limit state, `retry-after`. */
  headers(requestId: string, context: HeaderContext): Record<string, string>;
  /** Status and JSON body of an error. */
  error(error: ApiError, requestId: string): { status: number; body: unknown };
}
