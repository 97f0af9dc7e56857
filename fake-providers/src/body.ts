import type { IncomingMessage } from 'node:http';
import { isObject, type JsonObject } from './json';

/** Request bodies above this size get a 413 (Anthropic's limit for Messages). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export type BodyResult = { kind: 'ok'; body: JsonObject } | { kind: 'too_large' } | { kind: 'invalid_json' } | { kind: 'not_object' } | { kind: 'aborted' };

/** Reads and parses a JSON object body, never throwing. */
export function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' });
    });
    req.on('end', () => {
      if (tooLarge) return resolve({ kind: 'too_large' });
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return resolve({ kind: 'invalid_json' });
      }
      resolve(isObject(parsed) ? { kind: 'ok', body: parsed } : { kind: 'not_object' });
    });
  });
}
