import type { Response } from 'express';

/**
 * A signal aborted when the client goes away before the response is complete:
 * passed to the SDK calls so an abandoned request stops paying for tokens.
 */
export function abortOnClose(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
