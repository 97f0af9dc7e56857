import { AI_ERROR_TYPE } from '../conventions';

const CANCELED_NAMES = new Set(['AbortError', 'APIUserAbortError']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);
const CONNECTION_NAMES = new Set(['APIConnectionError', 'FetchError']);

/**
 * `error_type` of a failed AI call. Values alerting relies on come first
 * (rate_limited, timeout, server_error, client_error, connection_error,
 * canceled); otherwise the exception's class name, and `_OTHER` for thrown
 * values that are not objects. Reads properties defensively: never throws.
 */
export function classifyAiError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return AI_ERROR_TYPE.other;
  try {
    const fields = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown }; name?: unknown; code?: unknown; cause?: unknown };
    const status = toStatus(fields.status) ?? toStatus(fields.statusCode) ?? toStatus(fields.response?.status);
    if (status === 429) return AI_ERROR_TYPE.rateLimited;
    if (status === 408 || status === 504) return AI_ERROR_TYPE.timeout;
    if (status !== undefined && status >= 500) return AI_ERROR_TYPE.serverError;
    if (status !== undefined && status >= 400) return AI_ERROR_TYPE.clientError;

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

function codeOf(cause: unknown): string | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const code = (cause as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
