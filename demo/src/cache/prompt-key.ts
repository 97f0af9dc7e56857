import { createHash } from 'node:crypto';

/**
 * The answer cache key of a prompt: case, surrounding and repeated whitespace,
 * and trailing punctuation do not change the question. Hashed, so neither the
 * cache nor Redis ever holds the prompt text as a key.
 */
export function promptKey(prompt: string): string {
  const normalized = prompt.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/[\s?!.]+$/u, '');
  return createHash('sha256').update(normalized).digest('base64url');
}
