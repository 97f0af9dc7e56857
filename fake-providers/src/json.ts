/** A parsed JSON object (a request body or part of one). */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The text of a message's content: strings as they are, content parts by their
 * `text`, anything else as JSON. Never throws, whatever the client sent.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(partText).join('\n');
  if (value === undefined || value === null) return '';
  return stableJson(value);
}

function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (isObject(part) && typeof part.text === 'string') return part.text;
  return stableJson(part);
}

/** JSON without `cache_control` (which does not change what the model reads). */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (key, field: unknown) => (key === 'cache_control' ? undefined : field)) ?? '';
}

/** A positive integer field, `undefined` when absent, or an error message. */
export function positiveInteger(body: JsonObject, field: string): number | undefined | { error: string } {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    return { error: `Invalid '${field}': expected an integer ≥ 1, got ${JSON.stringify(value)}.` };
  }
  return value;
}
