import type { ApiError, ApiErrorKind, HeaderContext, ProviderDialect } from '../dialect';
import { HEX, type Random } from '../random';
import { formatOpenAiDuration } from '../rate-limits';

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

  /** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, the reset as a duration from now. */
  headers(requestId: string, { rateLimits = [], retryAfterSeconds }: HeaderContext): Record<string, string> {
    const headers: Record<string, string> = { 'x-request-id': requestId, 'openai-version': '2020-10-01', 'openai-organization': 'modelwatch-fake' };
    for (const { type, limit, remaining, resetMs } of rateLimits) {
      headers[`x-ratelimit-limit-${type}`] = String(limit);
      headers[`x-ratelimit-remaining-${type}`] = String(remaining);
      headers[`x-ratelimit-reset-${type}`] = formatOpenAiDuration(resetMs);
    }
    if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
    return headers;
  },

  error(error: ApiError): { status: number; body: unknown } {
    return { status: STATUS[error.kind], body: { error: errorBody(error) } };
  },
};

function errorBody({ kind, message, param, code, model, retryAfterSeconds, exhausted }: ApiError) {
  switch (kind) {
    case 'rate_limit': {
      // An injected fault stands for a request budget someone else emptied: its figures are not known.
      const type = exhausted?.type === 'tokens' ? 'tokens' : 'requests';
      const figures = exhausted ? `: Limit ${exhausted.limit}, Used ${exhausted.limit - exhausted.remaining}, Requested ${exhausted.requested}` : '';
      return {
        message: message ?? `Rate limit reached for ${model ?? 'this model'} in organization org-modelwatch-fake on ${type} per min (${type === 'tokens' ? 'TPM' : 'RPM'})${figures}. Please try again in ${retryAfterSeconds ?? 1}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type,
        param: null,
        code: code ?? 'rate_limit_exceeded',
      };
    }
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
