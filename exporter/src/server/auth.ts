import { createHash, timingSafeEqual } from 'node:crypto';
import { nonEmptyString, objectOf, oneOf } from '../options/schema';

/** Protects the metrics endpoint: a bearer token or HTTP basic credentials. */
export type MetricsAuth = { bearerToken: string } | { username: string; password: string };

export const METRICS_AUTH = oneOf(
  objectOf<{ bearerToken: string }>({ bearerToken: nonEmptyString }, ['bearerToken']),
  objectOf<{ username: string; password: string }>({ username: nonEmptyString, password: nonEmptyString }, ['username', 'password']),
);

/**
 * Checks an Authorization header in constant time (hashes first, so lengths
 * leak nothing either). Returns a predicate built once from the configuration,
 * which METRICS_AUTH has checked where the options came in.
 */
export function authorizationCheck(auth: MetricsAuth | undefined): (header: string | undefined) => boolean {
  if (auth === undefined) return () => true;
  const expected = 'bearerToken' in auth ? `Bearer ${auth.bearerToken}` : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  const expectedDigest = digest(expected);
  return (header) => header !== undefined && timingSafeEqual(digest(header), expectedDigest);
}

export function authChallenge(auth: MetricsAuth): string {
  return 'bearerToken' in auth ? 'Bearer realm="metrics"' : 'Basic realm="metrics", charset="UTF-8"';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
