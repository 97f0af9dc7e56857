import { describe, expect, it } from 'vitest';
import { classifyAiError } from './error-type';

class APIConnectionTimeoutError extends Error {
  override name = 'APIConnectionTimeoutError';
}
class APIConnectionError extends Error {
  override name = 'APIConnectionError';
}
class ValidationFailure extends Error {}

describe('classifyAiError', () => {
  it.each([
    ['a 429 as rate_limited', Object.assign(new Error('slow down'), { status: 429 }), 'rate_limited'],
    ['a 500 as server_error', Object.assign(new Error('oops'), { status: 500 }), 'server_error'],
    ['a 529 (Anthropic overloaded) as server_error', Object.assign(new Error('overloaded'), { status: 529 }), 'server_error'],
    ['a 400 as client_error', Object.assign(new Error('bad'), { status: 400 }), 'client_error'],
    ['a 408 as timeout', Object.assign(new Error('late'), { status: 408 }), 'timeout'],
    ['a statusCode field (got, axios-like) as well', Object.assign(new Error('x'), { statusCode: 503 }), 'server_error'],
    ['a response.status field as well', Object.assign(new Error('x'), { response: { status: 429 } }), 'rate_limited'],
    ['an SDK connection timeout as timeout', new APIConnectionTimeoutError('timed out'), 'timeout'],
    ['an SDK connection error as connection_error', new APIConnectionError('refused'), 'connection_error'],
    ['ECONNREFUSED as connection_error', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'connection_error'],
    ['a fetch failure caused by ECONNRESET as connection_error', new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }), 'connection_error'],
    [
      'an AI SDK APICallError (status 200) for a stream cut mid-way as connection_error',
      Object.assign(new Error('Failed to process successful response', { cause: new TypeError('terminated', { cause: { code: 'UND_ERR_SOCKET' } }) }), { name: 'AI_APICallError', statusCode: 200 }),
      'connection_error',
    ],
    ['undici header timeout as timeout', new TypeError('fetch failed', { cause: { code: 'UND_ERR_HEADERS_TIMEOUT' } }), 'timeout'],
    ['a mid-stream overloaded_error event (no status) as server_error', Object.assign(new Error('Overloaded'), { type: 'overloaded_error' }), 'server_error'],
    ['a mid-stream rate_limit_error event (no status) as rate_limited', Object.assign(new Error('slow down'), { type: 'rate_limit_error' }), 'rate_limited'],
    ['an AbortError as canceled', new DOMException('aborted', 'AbortError'), 'canceled'],
    ['another exception by its class name', new ValidationFailure('nope'), 'ValidationFailure'],
    ['a plain Error as Error', new Error('x'), 'Error'],
    ['a named exception by its name', Object.assign(new Error('x'), { name: 'ZodError' }), 'ZodError'],
    ['a thrown string as _OTHER', 'boom', '_OTHER'],
    ['a thrown undefined as _OTHER', undefined, '_OTHER'],
    ['a plain object as _OTHER', { message: 'x' }, '_OTHER'],
  ])('classifies %s', (_, error, expected) => {
    expect(classifyAiError(error)).toBe(expected);
  });

  it('never throws, even on a hostile error object', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(classifyAiError(hostile)).toBe('_OTHER');
  });
});
