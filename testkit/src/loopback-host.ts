/**
 * The `Host` check of the loopback servers (notification sink, app preview).
 *
 * Binding 127.0.0.1 keeps other machines out, but not web pages: through DNS
 * rebinding, a page on `evil.example` makes its own name resolve to 127.0.0.1
 * and then reads a loopback server's answers as same-origin. The browser still
 * sends `Host: evil.example:<port>`, so a server meant for loopback answers only
 * requests addressed to a loopback name, or to a name it was told about (the
 * sink's service name in docker-compose).
 */

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

/** Whether `hostHeader` (`name` or `name:port`) names this machine's loopback or one of `extraNames`. */
export function isAllowedHost(hostHeader: string | undefined, extraNames: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  let name: string;
  try {
    name = new URL(`http://${hostHeader}`).hostname;
  } catch {
    return false;
  }
  // The URL parser already turned decimal, hex and short forms of an IPv4 address into dotted quads.
  return LOOPBACK_NAMES.has(name) || /^127\.\d+\.\d+\.\d+$/.test(name) || extraNames.includes(name);
}

/** The answer to a request whose `Host` is not allowed. */
export const HOST_REFUSED = { status: 403, message: 'Host not allowed: this server answers requests addressed to 127.0.0.1 or localhost only' } as const;
