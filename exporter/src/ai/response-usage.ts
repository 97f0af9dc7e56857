/** `usage` (OpenAI, Anthropic, AI SDK) or `usageMetadata` (Gemini) of a response or stream chunk. */
export function responseUsage(value: object): object | undefined {
  try {
    const response = value as { usage?: unknown; usageMetadata?: unknown };
    if (typeof response.usage === 'object' && response.usage !== null) return response.usage;
    if (typeof response.usageMetadata === 'object' && response.usageMetadata !== null) return response.usageMetadata;
  } catch {
    // A throwing getter on the caller's object: treat as no usage.
  }
  return undefined;
}
