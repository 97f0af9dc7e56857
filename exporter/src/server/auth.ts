import { createHash, timingSafeEqual } from 'node:crypto';

/** Protects the metrics endpoint: a bearer token or HTTP basic credentials. */
export type MetricsAuth = { bearerToken: string } | { username: string; password: string };

/**
 * Checks an Authorization header in constant time (hashes first, so lengths
 * leak nothing either). Returns a predicate built once from the configuration.
 */
export function authorizationCheck(auth: MetricsAuth | undefined): (header: string | undefined) => boolean {
  if (auth === undefined) return () => true;
  const expected =
    'bearerToken' in auth ? `Bearer ${requireText(auth.bearerToken, 'bearerToken')}` : `Basic ${Buffer.from(`${requireText(auth.username, 'username')}:${requireText(auth.password, 'password')}`).toString('base64')}`;
  const expectedDigest = digest(expected);
  return (header) => header !== undefined && timingSafeEqual(digest(header), expectedDigest);
}

export function authChallenge(auth: MetricsAuth): string {
  return 'bearerToken' in auth ? 'Bearer realm="metrics"' : 'Basic realm="metrics", charset="UTF-8"';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function requireText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`metrics auth: ${field} must be a non-empty string`);
  return value;
}
