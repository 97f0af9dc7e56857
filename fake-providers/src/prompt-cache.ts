import { createHash, type Hash } from 'node:crypto';
import { countTokens, tokensToChars } from './tokens';

/** OpenAI caches prompt prefixes in steps of this many tokens past the threshold. */
export const OPENAI_CACHE_INCREMENT_TOKENS = 128;
/** How long an unused OpenAI prefix stays cached (the API says 5–10 minutes of inactivity). */
export const OPENAI_CACHE_TTL_MS = 10 * 60_000;
/** Anthropic's cache lifetimes, refreshed on every hit. */
export const ANTHROPIC_CACHE_TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;
export type AnthropicCacheTtl = keyof typeof ANTHROPIC_CACHE_TTL_MS;

/** A `cache_control` breakpoint: the prompt's canonical text up to `charEnd` is cacheable. */
export interface CacheBreakpoint {
  charEnd: number;
  ttl: AnthropicCacheTtl;
}

/** What an Anthropic request read from and wrote to the cache, in tokens. */
export interface BreakpointCacheResult {
  readTokens: number;
  creationTokens: number;
  creation5mTokens: number;
  creation1hTokens: number;
}

/**
 * Remembers prompt prefixes (by SHA-256, never the text) for a while, to report
 * cached tokens the way each provider does. Bounded: the oldest entries go first.
 */
export class PromptCache {
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;

  constructor(maxEntries = 50_000) {
    this.#maxEntries = maxEntries;
  }

  /**
   * OpenAI's automatic caching: prompts of at least `minTokens` tokens report the
   * longest previously seen prefix, in 128-token steps from `minTokens`; the last
   * token is never cached. Every step of this prompt is remembered for next time.
   */
  automaticPrefix(scope: string, text: string, minTokens: number, now: number): number {
    const total = countTokens(text);
    if (total <= minTokens) return 0;
    const hash = startHash(scope);
    let position = 0;
    let cached = 0;
    for (let tokens = minTokens; tokens < total; tokens += OPENAI_CACHE_INCREMENT_TOKENS) {
      const end = tokensToChars(tokens);
      hash.update(text.slice(position, end));
      position = end;
      const key = hash.copy().digest('base64');
      if (this.#isLive(key, now)) cached = tokens;
      this.#remember(key, now + OPENAI_CACHE_TTL_MS);
    }
    return cached;
  }

  /**
   * Anthropic's explicit caching: the longest breakpoint prefix seen before is read;
   * the prompt from there to its last breakpoint is written. Breakpoints shorter than
   * `minTokens` are ignored, as the API does.
   */
  breakpoints(scope: string, text: string, breakpoints: readonly CacheBreakpoint[], minTokens: number, now: number): BreakpointCacheResult {
    const eligible = [...breakpoints]
      .filter((point) => point.charEnd <= text.length && countTokens(text.slice(0, point.charEnd)) >= minTokens)
      .sort((a, b) => a.charEnd - b.charEnd);
    const hash = startHash(scope);
    let position = 0;
    const keyed = eligible.map((point) => {
      hash.update(text.slice(position, point.charEnd));
      position = point.charEnd;
      return { point, key: hash.copy().digest('base64'), tokens: countTokens(text.slice(0, point.charEnd)) };
    });
    let readIndex = -1;
    keyed.forEach(({ key }, index) => {
      if (this.#isLive(key, now)) readIndex = index;
    });
    const result: BreakpointCacheResult = { readTokens: 0, creationTokens: 0, creation5mTokens: 0, creation1hTokens: 0 };
    let previousTokens = 0;
    keyed.forEach(({ point, key, tokens }, index) => {
      if (index <= readIndex) {
        result.readTokens = tokens;
      } else {
        const written = tokens - previousTokens;
        result.creationTokens += written;
        if (point.ttl === '1h') result.creation1hTokens += written;
        else result.creation5mTokens += written;
      }
      previousTokens = tokens;
      this.#remember(key, now + ANTHROPIC_CACHE_TTL_MS[point.ttl]);
    });
    return result;
  }

  /** Forgets everything. */
  clear(): void {
    this.#expiries.clear();
  }

  #isLive(key: string, now: number): boolean {
    const expiry = this.#expiries.get(key);
    if (expiry === undefined) return false;
    if (expiry > now) return true;
    this.#expiries.delete(key);
    return false;
  }

  #remember(key: string, expiry: number): void {
    const previous = this.#expiries.get(key) ?? 0;
    this.#expiries.delete(key); // re-insert: most recently used last
    this.#expiries.set(key, Math.max(expiry, previous));
    while (this.#expiries.size > this.#maxEntries) {
      const oldest = this.#expiries.keys().next();
      if (oldest.done) break;
      this.#expiries.delete(oldest.value);
    }
  }
}

function startHash(scope: string): Hash {
  return createHash('sha256').update(`${scope.length}:${scope};`);
}
