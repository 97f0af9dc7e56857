/** Longest `gen_ai.input.messages` / `gen_ai.output.messages` value, in UTF-16 code units. */
export const CONTENT_MAX_LENGTH = 16 * 1024;

/** Marks a value cut at the cap (the JSON is then incomplete). */
export const TRUNCATION_MARKER = '…[truncated]';

/**
 * The attribute value of captured messages: a string as given (already JSON),
 * anything else as JSON; cut to the cap. Undefined when it cannot be serialised
 * (a cycle, a BigInt) or serialises to nothing.
 */
export function contentAttribute(messages: unknown, maxLength = CONTENT_MAX_LENGTH): string | undefined {
  let text: string | undefined;
  try {
    text = typeof messages === 'string' ? messages : (JSON.stringify(messages) as string | undefined);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  if (text.length <= maxLength) return text;
  let end = maxLength - TRUNCATION_MARKER.length;
  // Do not split a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + TRUNCATION_MARKER;
}
