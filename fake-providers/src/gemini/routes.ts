import type { ProviderDialect } from '../dialect';
import type { Exchange } from '../exchange';
import type { JsonObject } from '../json';
import { geminiDialect } from './dialect';
import { handleEmbedContents } from './embeddings';
import { handleGenerateContent } from './generate-content';

/**
 * `POST /gemini/{version}/models/{model}:{method}` (the Gemini API), also under
 * `publishers/google/` and `projects/{p}/locations/{l}/publishers/google/` (Vertex AI's
 * paths, which speak the same JSON). The model is in the path, not the body.
 */
const PATH = /^\/gemini\/v1(?:alpha|beta1?)?\/(?:projects\/[^/]+\/locations\/[^/]+\/)?(?:publishers\/google\/)?models\/([^/:]+):([A-Za-z]+)$/;

const METHODS: Record<string, (ex: Exchange, body: JsonObject, model: string) => Promise<void>> = {
  generateContent: (ex, body, model) => handleGenerateContent(ex, body, model, false),
  streamGenerateContent: (ex, body, model) => handleGenerateContent(ex, body, model, true),
  embedContent: (ex, body, model) => handleEmbedContents(ex, body, model, false),
  batchEmbedContents: (ex, body, model) => handleEmbedContents(ex, body, model, true),
};

/** The Gemini endpoint a request goes to, or undefined. */
export function geminiRoute(method: string | undefined, path: string): { dialect: ProviderDialect; handler: (ex: Exchange, body: JsonObject) => Promise<void> } | undefined {
  if (method !== 'POST') return undefined;
  const match = PATH.exec(path);
  const model = match?.[1];
  const handle = match?.[2] === undefined ? undefined : METHODS[match[2]];
  if (model === undefined || handle === undefined) return undefined;
  const decoded = decodeURIComponent(model);
  return { dialect: geminiDialect, handler: (ex, body) => handle(ex, body, decoded) };
}
