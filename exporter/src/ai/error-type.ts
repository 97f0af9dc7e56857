import { AI_ERROR_TYPE } from '@modelwatch/conventions';

const CANCELED_NAMES = new Set(['AbortError', 'APIUserAbortError']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
const CONNECTION_NAMES = new Set(['APIConnectionError', 'FetchError']);
/**
 * The `type` of a provider error without an HTTP status: a failure reported inside a
 * stream that started with 200 (Anthropic `error` events, OpenAI error chunks).
 */
const PROVIDER_ERROR_TYPES: ReadonlyMap<string, string> = new Map([
  ['rate_limit_error', AI_ERROR_TYPE.rateLimited],
  ['overloaded_error', AI_ERROR_TYPE.serverError],
  ['api_error', AI_ERROR_TYPE.serverError],
  ['server_error', AI_ERROR_TYPE.serverError],
  ['timeout_error', AI_ERROR_TYPE.timeout],
  ['invalid_request_error', AI_ERROR_TYPE.clientError],
]);

/**
 * `error_type` of a failed AI call. Values alerting relies on come first
 * (rate_limited, timeout, server_error, client_error, connection_error,
 * canceled); otherwise the exception's class name, and `_OTHER` for thrown
 * values that are not objects. Reads properties defensively: never throws.
 */
export function classifyAiError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return AI_ERROR_TYPE.other;
  try {
    const fields = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown }; name?: unknown; code?: unknown; cause?: unknown; type?: unknown };
    const status = toStatus(fields.status) ?? toStatus(fields.statusCode) ?? toStatus(fields.response?.status);
    if (status === 429) return AI_ERROR_TYPE.rateLimited;
    if (status === 408 || status === 504) return AI_ERROR_TYPE.timeout;
    if (status !== undefined && status >= 500) return AI_ERROR_TYPE.serverError;
    if (status !== undefined && status >= 400) return AI_ERROR_TYPE.clientError;
    const providerType = typeof fields.type === 'string' ? PROVIDER_ERROR_TYPES.get(fields.type) : undefined;
    if (providerType !== undefined) return providerType;

    // A subclass that did not set `name` still says 'Error'; its constructor's name is more useful.
    const name = typeof fields.name === 'string' && fields.name !== 'Error' ? fields.name : error.constructor?.name;
    const code = typeof fields.code === 'string' ? fields.code : codeOf(fields.cause);
    if (name && CANCELED_NAMES.has(name)) return AI_ERROR_TYPE.canceled;
    if ((name && /timeout/i.test(name)) || (code && TIMEOUT_CODES.has(code))) return AI_ERROR_TYPE.timeout;
    if ((name && CONNECTION_NAMES.has(name)) || (code && CONNECTION_CODES.has(code))) return AI_ERROR_TYPE.connectionError;
    return name && name !== 'Object' ? name : AI_ERROR_TYPE.other;
  } catch {
    return AI_ERROR_TYPE.other;
  }
}

function toStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599 ? value : undefined;
}

/** The first string `code` down the cause chain: SDKs wrap fetch's TypeError, which wraps undici's error holding the code. */
function codeOf(cause: unknown, depth = 0): string | undefined {
  if (typeof cause !== 'object' || cause === null || depth > 3) return undefined;
  const { code, cause: next } = cause as { code?: unknown; cause?: unknown };
  return typeof code === 'string' ? code : codeOf(next, depth + 1);
}
