/** Server-sent events framing, as both providers send it. */

/** Headers of an event stream. */
export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
} as const;

/** A `data:`-only event (OpenAI chat completions). */
export function dataEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** A named event (OpenAI Responses, Anthropic Messages): `event:` line, then `data:`. */
export function namedEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The terminator OpenAI chat completion streams end with. */
export const DONE_EVENT = 'data: [DONE]\n\n';
