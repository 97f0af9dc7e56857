import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Failover, WebhookResult } from './failover';

/** A notification is a few kilobytes per alert; more than this is not Alertmanager. */
const MAX_BODY_BYTES = 1024 * 1024;

export type WebhookHandler = (request: IncomingMessage & { body?: unknown }, response: ServerResponse) => void;

/**
 * The webhook as a node:http listener, also an Express handler: mounted before a JSON body parser it reads the body
 * itself, after one it takes `request.body`. The token is checked before the body is read. Never throws.
 */
export function webhookHandler(failover: Failover): WebhookHandler {
  return (request, response) => {
    const authorization = request.headers.authorization;
    if (request.method !== 'POST') return answer(response, { status: 405, body: { error: 'POST only' } });
    const refused = failover.checkToken(authorization);
    if (refused) {
      request.resume();
      return answer(response, refused);
    }
    if (request.body !== undefined) return answer(response, failover.apply(request.body));
    // Unreadable or not JSON: applied as no payload, so it is refused (400) and counted like any malformed one.
    readJson(request).then(
      (body) => answer(response, failover.apply(body)),
      () => answer(response, failover.apply(undefined)),
    );
  };
}

function readJson(request: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.destroy();
        reject(new Error('too large'));
      } else chunks.push(chunk);
    });
    request.on('error', reject);
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}

function answer(response: ServerResponse, result: WebhookResult | { status: 405; body: { error: string } }): void {
  if (response.headersSent) return;
  response.statusCode = result.status;
  if (result.status === 401) response.setHeader('www-authenticate', 'Bearer realm="modelwatch-failover"');
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(result.body));
}
