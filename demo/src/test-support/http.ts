/** JSON over HTTP against the service under test. */
export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function request<T = Record<string, unknown>>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (SSE, metrics): keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export const post = <T = Record<string, unknown>>(url: string, body: unknown, headers?: Record<string, string>) => request<T>('POST', url, body, headers);
export const get = <T = Record<string, unknown>>(url: string, headers?: Record<string, string>) => request<T>('GET', url, undefined, headers);

/** Server-sent events of a response body: `{ event, data }` in order. */
export function parseSse(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      return { event, data: JSON.parse(data) as unknown };
    });
}
