import type { ApiError, ApiErrorKind, HeaderContext, ProviderDialect } from '../dialect';
import { HEX, type Random } from '../random';

const REQUESTS_PER_MINUTE = 10_000;
const TOKENS_PER_MINUTE = 10_000_000;

const STATUS: Record<ApiErrorKind, number> = {
  rate_limit: 429,
  server_error: 500,
  overloaded: 503,
  invalid_request: 400,
  not_found: 404,
  too_large: 413,
};

/** OpenAI: `x-request-id`, `x-ratelimit-*` headers, `{ error: { message, type, param, code } }` bodies. */
export const openaiDialect: ProviderDialect = {
  provider: 'openai',

  requestId(rng: Random): string {
    return `req_${rng.id(32, HEX)}`;
  },

  headers(requestId: string, { rateLimited = false, retryAfterSeconds }: HeaderContext): Record<string, string> {
    const headers: Record<string, string> = {
      'x-request-id': requestId,
      'openai-version': '2020-10-01',
      'openai-organization': 'modelwatch-fake',
      'x-ratelimit-limit-requests': String(REQUESTS_PER_MINUTE),
      'x-ratelimit-limit-tokens': String(TOKENS_PER_MINUTE),
      'x-ratelimit-remaining-requests': String(rateLimited ? 0 : REQUESTS_PER_MINUTE - 1),
      'x-ratelimit-remaining-tokens': String(rateLimited ? 0 : TOKENS_PER_MINUTE - 1_000),
      'x-ratelimit-reset-requests': rateLimited ? `${retryAfterSeconds ?? 1}s` : '6ms',
      'x-ratelimit-reset-tokens': rateLimited ? `${retryAfterSeconds ?? 1}s` : '6ms',
    };
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    return headers;
  },

  error(error: ApiError): { status: number; body: unknown } {
    return { status: STATUS[error.kind], body: { error: errorBody(error) } };
  },
};

function errorBody({ kind, message, param, code, model, retryAfterSeconds }: ApiError) {
  switch (kind) {
    case 'rate_limit':
      return {
        message: message ?? `Rate limit reached for ${model ?? 'this model'} in organization org-modelwatch-fake on requests per min (RPM): Limit ${REQUESTS_PER_MINUTE}, Used ${REQUESTS_PER_MINUTE}, Requested 1. Please try again in ${retryAfterSeconds ?? 1}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        param: null,
        code: code ?? 'rate_limit_exceeded',
      };
    case 'server_error':
      return { message: message ?? 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: code ?? null };
    case 'overloaded':
      return { message: message ?? 'The server is overloaded or not ready yet.', type: 'server_error', param: null, code: code ?? null };
    case 'too_large':
      return { message: message ?? 'Request body too large.', type: 'invalid_request_error', param: null, code: code ?? null };
    case 'invalid_request':
    case 'not_found':
      return { message: message ?? 'Invalid request.', type: 'invalid_request_error', param: param ?? null, code: code ?? null };
  }
}
