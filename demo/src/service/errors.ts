import type { ErrorRequestHandler } from 'express';
import { ProvidersFailedError } from '../ai/provider-error';
import type { Logger } from './logger';
import { ValidationError } from './validation';

/** A resource the request names does not exist; answered 404 with this message. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Errors from express.json(): malformed JSON, too large, wrong charset. */
interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const fields = error as Partial<BodyParserError> | null;
  return typeof fields?.type === 'string' && typeof fields.status === 'number' && fields.status >= 400 && fields.status < 500;
}

const BODY_ERRORS: Readonly<Record<string, string>> = {
  'entity.parse.failed': 'Request body is not valid JSON',
  'entity.too.large': 'Request body is too large',
  'encoding.unsupported': 'Unsupported request body encoding',
  'charset.unsupported': 'Unsupported request body charset',
};

/**
 * Turns errors into clear JSON answers: 400 for bad input, 404 for unknown
 * resources, 502/503 when the AI providers failed (which ones and how, never
 * their raw messages, which may echo request headers), 500 otherwise.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ValidationError) {
      res.status(400).json({ error: error.message });
    } else if (isBodyParserError(error)) {
      res.status(error.status).json({ error: BODY_ERRORS[error.type] ?? 'Invalid request body' });
    } else if (error instanceof NotFoundError) {
      res.status(404).json({ error: error.message });
    } else if (error instanceof ProvidersFailedError) {
      const status = error.httpStatus;
      logger.warn('ai providers failed', { 'http.route': req.route?.path, attempts: error.attempts });
      if (status === 503) res.set('Retry-After', '2');
      res.status(status).json({
        error: status === 503 ? 'AI providers are overloaded or rate limiting; retry shortly' : 'AI providers failed to answer',
        attempts: error.attempts.map(({ provider, model, errorType }) => ({ provider, model, errorType })),
      });
    } else {
      logger.error('unhandled error', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), stack: (error as Error)?.stack });
      res.status(500).json({ error: 'Internal server error' });
    }
  };
}
