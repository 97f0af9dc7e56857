import { classifyAiError } from '@modelwatch/exporter';
import { AI_ERROR_TYPE } from '@modelwatch/conventions';

/** One failed call to a provider, as reported to clients and logs (never the provider's message: it may echo headers). */
export interface FailedAttempt {
  provider: string;
  model: string;
  errorType: string;
  status: number | undefined;
}

/** Errors worth retrying on the other provider: the provider is throttling, down or unreachable, not our request. */
const FAILOVER_ERROR_TYPES: ReadonlySet<string> = new Set([AI_ERROR_TYPE.rateLimited, AI_ERROR_TYPE.serverError, AI_ERROR_TYPE.timeout, AI_ERROR_TYPE.connectionError]);

export function describeFailure(provider: string, model: string, error: unknown): FailedAttempt {
  const status = (error as { status?: unknown } | null)?.status;
  return { provider, model, errorType: classifyAiError(error), status: typeof status === 'number' ? status : undefined };
}

export function shouldFailOver(attempt: FailedAttempt): boolean {
  return FAILOVER_ERROR_TYPES.has(attempt.errorType);
}

/** Every provider the request could use failed. Carries what each answered, never their raw messages. */
export class ProvidersFailedError extends Error {
  constructor(readonly attempts: readonly FailedAttempt[]) {
    super(`AI providers failed: ${attempts.map((a) => `${a.provider}/${a.model} ${a.errorType}`).join(', ')}`);
    this.name = 'ProvidersFailedError';
  }

  /**
   * 503 when the providers are throttling or overloaded (429, 503, 529: retrying
   * later will work), else 502 (the upstream answered badly or not at all).
   */
  get httpStatus(): 502 | 503 {
    const busy = this.attempts.every((a) => a.status === 429 || a.status === 503 || a.status === 529);
    return busy ? 503 : 502;
  }
}
