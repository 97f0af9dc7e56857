import { isIP } from 'node:net';

/**
 * Whether `url` points at this machine: `localhost`, 127.0.0.0/8 or ::1.
 * The traffic generator and the fault CLI refuse anything else unless told
 * otherwise, so a load test can never hit someone else's server by a typo.
 */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  if (family === 4) return host.split('.')[0] === '127';
  // IPv4-mapped 127.x.y.z: the URL parser writes it in hex (::ffff:7f00:1).
  if (family === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:(127\.|7f[0-9a-f]{2}:)/.test(host);
  return false;
}

/** Parses `target` and throws unless it is an http(s) URL on loopback (or `allowRemote`). */
export function checkTarget(target: string, allowRemote = false): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new TypeError(`Invalid target URL ${JSON.stringify(target)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`Target must be http(s), got ${url.protocol}`);
  if (!allowRemote && !isLoopbackUrl(url)) {
    throw new RangeError(`Refusing non-loopback target ${url.host}: only localhost, 127.0.0.0/8 and ::1 are allowed (pass --allow-remote to override)`);
  }
  return url;
}
