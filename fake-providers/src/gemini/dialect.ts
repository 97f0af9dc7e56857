import type { ApiError, ApiErrorKind, HeaderContext, ProviderDialect } from '../dialect';
import { ALPHANUMERIC, type Random } from '../random';

/** The characters of Gemini's `responseId` (URL-safe base64). */
const RESPONSE_ID_ALPHABET = `${ALPHANUMERIC}-_`;
const REQUESTS_PER_MINUTE = 1_000;

const ERRORS: Record<ApiErrorKind, { code: number; status: string; message: string }> = {
  rate_limit: {
    code: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: `You exceeded your current quota, please check your plan and billing details. Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_paid_tier_requests, limit: ${REQUESTS_PER_MINUTE}`,
  },
  server_error: { code: 500, status: 'INTERNAL', message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' },
  overloaded: { code: 503, status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
  invalid_request: { code: 400, status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  not_found: { code: 404, status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  too_large: { code: 400, status: 'INVALID_ARGUMENT', message: 'Request payload size exceeds the limit: 20971520 bytes.' },
};

/**
 * Gemini API: no request-id or rate-limit headers (the response body carries
 * `responseId`); errors are Google RPC statuses `{ error: { code, message, status, details? } }`,
 * a 429 naming its retry delay in a `RetryInfo` detail.
 */
export const geminiDialect: ProviderDialect = {
  provider: 'gemini',

  requestId(rng: Random): string {
    return rng.id(23, RESPONSE_ID_ALPHABET);
  },

  headers(_requestId: string, { retryAfterSeconds }: HeaderContext): Record<string, string> {
    return retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  },

  error(error: ApiError): { status: number; body: unknown } {
    const { code, status, message } = ERRORS[error.kind];
    const body: Record<string, unknown> = { code, message: error.message ?? message, status };
    if (error.kind === 'rate_limit') body.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.retryAfterSeconds ?? 1}s` }];
    return { status: code, body: { error: body } };
  },
};
