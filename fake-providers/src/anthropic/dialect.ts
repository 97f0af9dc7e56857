import type { ApiError, ApiErrorKind, HeaderContext, ProviderDialect } from '../dialect';
import { BASE58, type Random } from '../random';

const REQUESTS_PER_MINUTE = 4_000;
const INPUT_TOKENS_PER_MINUTE = 2_000_000;
const OUTPUT_TOKENS_PER_MINUTE = 400_000;

const ERRORS: Record<ApiErrorKind, { status: number; type: string; message: string }> = {
  rate_limit: { status: 429, type: 'rate_limit_error', message: `This request would exceed the rate limit for your organization of ${REQUESTS_PER_MINUTE} requests per minute. Please try again later.` },
  server_error: { status: 500, type: 'api_error', message: 'Internal server error' },
  overloaded: { status: 529, type: 'overloaded_error', message: 'Overloaded' },
  invalid_request: { status: 400, type: 'invalid_request_error', message: 'Invalid request' },
  not_found: { status: 404, type: 'not_found_error', message: 'Not found' },
  too_large: { status: 413, type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' },
};

/** Anthropic: `request-id`, `anthropic-ratelimit-*` headers, `{ type: 'error', error: { type, message }, request_id }` bodies. */
export const anthropicDialect: ProviderDialect = {
  provider: 'anthropic',

  requestId(rng: Random): string {
    return `req_011C${rng.id(20, BASE58)}`;
  },

  headers(requestId: string, { rateLimited = false, retryAfterSeconds }: HeaderContext): Record<string, string> {
    const reset = new Date(Date.now() + 1000 * (rateLimited ? retryAfterSeconds ?? 1 : 1)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const headers: Record<string, string> = { 'request-id': requestId };
    for (const [name, limit] of [
      ['requests', REQUESTS_PER_MINUTE],
      ['input-tokens', INPUT_TOKENS_PER_MINUTE],
      ['output-tokens', OUTPUT_TOKENS_PER_MINUTE],
      ['tokens', INPUT_TOKENS_PER_MINUTE + OUTPUT_TOKENS_PER_MINUTE],
    ] as const) {
      headers[`anthropic-ratelimit-${name}-limit`] = String(limit);
      headers[`anthropic-ratelimit-${name}-remaining`] = String(rateLimited ? 0 : limit - 1);
      headers[`anthropic-ratelimit-${name}-reset`] = reset;
    }
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    return headers;
  },

  error(error: ApiError, requestId: string): { status: number; body: unknown } {
    const { status, type, message } = ERRORS[error.kind];
    return { status, body: { type: 'error', error: { type, message: error.message ?? message }, request_id: requestId } };
  },
};
