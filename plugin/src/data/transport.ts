/**
 * How the data layer reaches Grafana's HTTP API. Inside Grafana this is
 * `getBackendSrv().fetch` (session cookie, org header); the preview harness
 * installs its own backend service answering the same routes.
 */
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';

export interface HttpRequest {
  url: string;
  method: 'GET' | 'POST';
  data?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  data: unknown;
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** Grafana's backend service; non-2xx answers come back as responses (their bodies carry per-query errors). */
export const grafanaTransport: Transport = async (request) => {
  try {
    const response = await lastValueFrom(getBackendSrv().fetch<unknown>({ ...request, showErrorAlert: false, showSuccessAlert: false }));
    return { status: response.status, data: response.data };
  } catch (error) {
    if (isFetchError(error)) return { status: error.status, data: error.data };
    throw error;
  }
};
