import { CHAT_MODELS, TIERS, type Tier } from '../ai/models';

/** A request the service refuses; answered 400 with this message. */
export class ValidationError extends Error {
  override name = 'ValidationError';
}

export interface ChatInput {
  prompt: string;
  model: string | undefined;
  tier: Tier;
  stream: boolean;
  userId: string | undefined;
}

export const LIMITS = { promptChars: 8000, texts: 64, textChars: 2000 } as const;
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

function asObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError('Body must be a JSON object (Content-Type: application/json)');
  return body as Record<string, unknown>;
}

export function parseUserId(value: unknown, required: boolean): string | undefined {
  if (value === undefined || value === '') {
    if (required) throw new ValidationError('userId is required');
    return undefined;
  }
  if (typeof value !== 'string' || !USER_ID.test(value)) throw new ValidationError('userId must be 1–64 letters, digits, "-" or "_"');
  return value;
}

/** `POST /chat` body: `{ prompt, model?, tier?, stream?, userId? }`. */
export function parseChatInput(body: unknown): ChatInput {
  const input = asObject(body);
  const { prompt, model, tier = 'fast', stream = false } = input;
  if (typeof prompt !== 'string' || prompt.trim() === '') throw new ValidationError('prompt must be a non-empty string');
  if (prompt.length > LIMITS.promptChars) throw new ValidationError(`prompt must be at most ${LIMITS.promptChars} characters, got ${prompt.length}`);
  if (model !== undefined && (typeof model !== 'string' || !CHAT_MODELS.some((m) => m.name === model))) {
    throw new ValidationError(`model must be one of ${CHAT_MODELS.map((m) => m.name).join(', ')}`);
  }
  if (typeof tier !== 'string' || !(TIERS as readonly string[]).includes(tier)) throw new ValidationError(`tier must be one of ${TIERS.join(', ')}`);
  if (typeof stream !== 'boolean') throw new ValidationError('stream must be true or false');
  return { prompt, model: model as string | undefined, tier: tier as Tier, stream, userId: parseUserId(input.userId, false) };
}

/** `POST /embeddings` body: `{ texts: string[] }`. */
export function parseEmbeddingsInput(body: unknown): string[] {
  const { texts } = asObject(body);
  if (!Array.isArray(texts) || texts.length === 0) throw new ValidationError('texts must be a non-empty array of strings');
  if (texts.length > LIMITS.texts) throw new ValidationError(`texts must hold at most ${LIMITS.texts} strings, got ${texts.length}`);
  texts.forEach((text, index) => {
    if (typeof text !== 'string' || text === '') throw new ValidationError(`texts[${index}] must be a non-empty string`);
    if (text.length > LIMITS.textChars) throw new ValidationError(`texts[${index}] must be at most ${LIMITS.textChars} characters, got ${text.length}`);
  });
  return texts as string[];
}
