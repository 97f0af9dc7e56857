/**
 * The part of Grafana's backend service the pages use (`fetch`), answered by
 * the harness server at the same routes with the same shapes. Like Grafana's,
 * a non-2xx answer errors with a FetchError-shaped `{ status, data }`.
 */
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

function fetchFromHarness<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const controller = new AbortController();
    const hasBody = options.data !== undefined && options.method !== 'GET';
    fetch(options.url, {
      method: options.method ?? 'GET',
      headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...(options.headers as Record<string, string> | undefined) },
      body: hasBody ? JSON.stringify(options.data) : undefined,
      signal: controller.signal,
    })
      .then(async (response) => {
        const text = await response.text();
        const data = (text ? JSON.parse(text) : undefined) as T;
        const result = { data, status: response.status, statusText: response.statusText, ok: response.ok, headers: response.headers, redirected: false, type: response.type, url: options.url, config: options };
        if (response.ok) {
          subscriber.next(result);
          subscriber.complete();
        } else {
          subscriber.error({ ...result, isHandled: false });
        }
      })
      .catch((error: unknown) => subscriber.error({ status: 502, data: { message: String(error) }, config: options }));
    return () => controller.abort();
  });
}

/** Only `fetch` is implemented: the pages use nothing else, and a call to anything else should fail loudly. */
export const harnessBackendSrv = { fetch: fetchFromHarness } as unknown as BackendSrv;
