import type { ApiError, ApiErrorKind, HeaderContext, ProviderDialect } from '../dialect';
import { BASE58, type Random } from '../random';
import { combinedTokens, formatAnthropicReset, type RateLimitType } from '../rate-limits';

const ERRORS: Record<ApiErrorKind, { status: number; type: string; message: string }> = {
  rate_limit: { status: 429, type: 'rate_limit_error', message: 'This request would exceed the rate limit for your organization. Please try again later.' },
  server_error: { status: 500, type: 'api_error', message: 'Internal server error' },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  invalid_request: { status: 400, type: 'invalid_request_error', message: 'Invalid request' },
  not_found: { status: 404, type: 'not_found_error', message: 'Not found' },
  too_large: { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
};

const LIMIT_WORDS: Record<RateLimitType, string> = { requests: 'requests', tokens: 'tokens', input_tokens: 'input tokens', output_tokens: 'output tokens' };

/** Anthropic: `request-id`, `anthropic-ratelimit-*` headers, `{ type: 'error', error: { type, message }, request_id }` bodies. */
export const anthropicDialect: ProviderDialect = {
  provider: 'anthropic',

  requestId(rng: Random): string {
    return `req_011C${rng.id(20, BASE58)}`;
  },

  /** `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`, the reset as an RFC 3339 time. */
  headers(requestId: string, { now, rateLimits = [], retryAfterSeconds }: HeaderContext): Record<string, string> {
    const headers: Record<string, string> = { 'request-id': requestId };
    const tokens = combinedTokens(rateLimits);
    for (const { type, limit, remaining, resetMs } of tokens ? [...rateLimits, tokens] : rateLimits) {
      const name = type.replace('_', '-');
      headers[`anthropic-ratelimit-${name}-limit`] = String(limit);
      headers[`anthropic-ratelimit-${name}-remaining`] = String(remaining);
      headers[`anthropic-ratelimit-${name}-reset`] = formatAnthropicReset(now, resetMs);
    }
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    return headers;
  },

  error(error: ApiError, requestId: string): { status: number; body: unknown } {
    const { status, type, message } = ERRORS[error.kind];
    const exhausted = error.exhausted;
    const standard = exhausted
      ? `This request would exceed the rate limit for your organization of ${exhausted.limit.toLocaleString('en-US')} ${LIMIT_WORDS[exhausted.type]} per minute. Please try again later.`
      : message;
    return { status, body: { type: 'error', error: { type, message: error.message ?? standard }, request_id: requestId } };
  },
};
