import type { RequestHandler } from 'express';
import { abortOnClose } from '../abort-on-close';
import type { Recommendations } from '../recommendations';
import { parseUserId } from '../validation';

/** `GET /recommendations?userId=user-001`: help articles from the user's history, pitched by a fast model. */
export function recommendationsRoute(recommendations: Recommendations): RequestHandler {
  return async (req, res) => {
    const userId = parseUserId(req.query.userId, true)!;
    const result = await recommendations.forUser(userId, abortOnClose(res));
    res.set('X-Cache', result.cached ? 'hit' : 'miss').json(result);
  };
}
