import { mergeUsage, type UsageOverride } from '../overrides';

/** Adds up two usage fields that an override may have set to null. */
function sum(a: unknown, b: unknown): number {
  return (typeof a === 'number' ? a : 0) + (typeof b === 'number' ? b : 0);
}

/**
 * Applies `x-fake-usage` to an OpenAI usage object and recomputes `total_tokens`
 * from the two given fields unless the override set it too.
 */
export function overrideUsage<T extends { total_tokens: number }>(usage: T, override: UsageOverride | undefined, inputField: keyof T & string, outputField: keyof T & string): T {
  if (!override) return usage;
  const merged = mergeUsage(usage, override);
  if (override.total_tokens === undefined) {
    const record = merged as Record<string, unknown>;
    merged.total_tokens = sum(record[inputField], record[outputField]);
  }
  return merged;
}
