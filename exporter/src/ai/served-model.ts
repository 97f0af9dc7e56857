/**
 * The model that answered a call, as the response names it, and whether that is
 * another model than the one asked for. Providers answer an alias with a dated
 * snapshot of the same model (`gpt-4o-mini` → `gpt-4o-mini-2024-07-18`,
 * `claude-3-5-haiku-latest` → `claude-3-5-haiku-20241022`): not a substitution.
 * A fallback or a router answering with another model is one.
 */

/** The served model named by a response body or one stream item; undefined when it names none. */
export function servedModelOf(bodyOrChunk: unknown): string | undefined {
  if (typeof bodyOrChunk !== 'object' || bodyOrChunk === null) return undefined;
  const body = bodyOrChunk as Record<string, unknown>;
  // OpenAI chat, completions and embeddings; Anthropic messages.
  if (typeof body.model === 'string') return body.model;
  // Gemini.
  if (typeof body.modelVersion === 'string') return body.modelVersion;
  // Anthropic `message_start`, OpenAI Responses events (`response.created`, `response.completed`), the Vercel AI SDK's `response.modelId`.
  const nested = body.message ?? body.response;
  if (typeof nested !== 'object' || nested === null) return undefined;
  const { model, modelId } = nested as { model?: unknown; modelId?: unknown };
  return typeof model === 'string' ? model : typeof modelId === 'string' ? modelId : undefined;
}

/** A version suffix that names a snapshot: a date (`-2024-07-18`, `-20241022`), a number (`-001`), `-v2`, `@20240620`. */
const SNAPSHOT_SUFFIX = /^[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{3,4}|v\d+(?:[.:]\d+)*)$/;

/** True when `served` is `requested` itself or a snapshot of it, ignoring a `provider/` or `models/` prefix on either. */
export function isSameModel(requested: string, served: string): boolean {
  if (requested === served) return true;
  const asked = withoutPrefix(requested);
  const answered = withoutPrefix(served);
  if (asked === answered) return true;
  const base = asked.endsWith('-latest') ? asked.slice(0, -'-latest'.length) : asked;
  return answered.startsWith(base) && (answered.length === base.length || SNAPSHOT_SUFFIX.test(answered.slice(base.length)));
}

function withoutPrefix(model: string): string {
  const slash = model.lastIndexOf('/');
  return slash === -1 ? model : model.slice(slash + 1);
}
