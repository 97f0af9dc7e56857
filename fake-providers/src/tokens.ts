/**
 * The token-counting heuristic: one token per four characters of the prompt's
 * canonical text (rounded up). It is deterministic, so tests can pin exact
 * usage numbers, and close enough to real tokenizers for English text.
 */
export const CHARS_PER_TOKEN = 4;

/** Tokens the heuristic counts for `text`. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/** Characters that hold `tokens` tokens. */
export function tokensToChars(tokens: number): number {
  return tokens * CHARS_PER_TOKEN;
}

/** Output tokens a tool call costs beyond its name and arguments (the call's framing). */
export const TOOL_CALL_OVERHEAD_TOKENS = 10;

/** Output tokens of a tool call. */
export function countToolCallTokens(name: string, argumentsJson: string): number {
  return TOOL_CALL_OVERHEAD_TOKENS + countTokens(name + argumentsJson);
}
