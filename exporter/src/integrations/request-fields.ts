/** Reading an SDK call's request and response bodies: the fields a span records, the model, the usage, the server of the client. */
import type { AiRequestAttributes } from '../ai/ai-recorder';
import { isObject } from './patch';

export interface ServerAttributes {
  serverAddress: string;
  serverPort: number | undefined;
}

/** `server.address` and `server.port` of a client's `baseURL` (the scheme's default port when none is given); undefined when it is not a URL. */
export function serverOf(baseURL: unknown): ServerAttributes | undefined {
  if (typeof baseURL !== 'string') return undefined;
  try {
    const url = new URL(baseURL);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : url.protocol === 'http:' ? 80 : undefined;
    return { serverAddress: url.hostname, serverPort: port };
  } catch {
    return undefined;
  }
}

/** A number field of a request body, or undefined. */
export function numberField(body: Record<string, unknown>, ...names: string[]): number | undefined {
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
  }
  return undefined;
}

/** A stop-sequences field (a string or an array of strings) as an array, or undefined. */
export function stopSequences(value: unknown): readonly string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return undefined;
}

/** The attributes with a value, or undefined when none has one. */
export function definedAttributes(attributes: AiRequestAttributes): AiRequestAttributes | undefined {
  // for…in over the literal rather than Object.entries: no array per key on every SDK call.
  let found: Record<string, unknown> | undefined;
  for (const key in attributes) {
    const value = attributes[key as keyof AiRequestAttributes];
    if (value !== undefined) (found ??= {})[key] = value;
  }
  return found as AiRequestAttributes | undefined;
}

/** `model` of a request body; '' when absent. */
export function modelOf(body: unknown): string {
  return isObject(body) && typeof body.model === 'string' ? body.model : '';
}

/** The `usage` object of a response body; undefined when it has none. */
export function usageField(body: unknown): unknown {
  return isObject(body) && isObject(body.usage) ? body.usage : undefined;
}
