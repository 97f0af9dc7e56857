import type { FaultRequest } from './kinds';
import type { ActiveFault } from './registry';

/** The admin API over HTTP, for the CLI and for scripts (the launcher, live tests). */
export class FaultClient {
  constructor(
    private readonly baseUrl: URL,
    private readonly token: string,
  ) {}

  inject(request: FaultRequest): Promise<ActiveFault> {
    return this.call<ActiveFault>('POST', '/admin/faults', request);
  }

  async list(): Promise<ActiveFault[]> {
    return (await this.call<{ faults: ActiveFault[] }>('GET', '/admin/faults')).faults;
  }

  async heal(id: string): Promise<void> {
    await this.call('DELETE', `/admin/faults/${encodeURIComponent(id)}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // not JSON: keep the text
      }
      throw new Error(`${method} ${path} → ${response.status}: ${message}`);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}
