import type { ChatAnswer, ChatBackend, ChatStream } from './chat-backend';
import type { ChatModel, Provider } from './models';
import { describeFailure, ProvidersFailedError, shouldFailOver, type FailedAttempt } from './provider-error';
import type { RoutePlan } from './routing';

/** Told about every failover (the service logs it; the failed call is in the AI metrics with its `error_type`). */
export type FailoverListener = (from: FailedAttempt, to: ChatModel) => void;

export interface Routed<T> {
  result: T;
  model: ChatModel;
  /** The primary failed and its twin answered. */
  failedOver: boolean;
}

/**
 * Sends a chat turn to the planned model and, when its provider throttles or
 * fails (429, 5xx, timeout, connection), once to the same-tier model of the
 * other provider. Client errors (4xx) are ours and are not retried elsewhere.
 */
export class ChatRouter {
  constructor(
    private readonly backends: Readonly<Record<Provider, ChatBackend>>,
    private readonly onFailover: FailoverListener = () => undefined,
  ) {}

  complete(plan: RoutePlan, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<Routed<ChatAnswer>> {
    return this.route(plan, (model) => this.backends[model.provider].complete({ prompt, model, maxTokens, signal }));
  }

  /** Failover applies until the stream is open; a stream failing midway is the caller's to report. */
  stream(plan: RoutePlan, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<Routed<ChatStream>> {
    return this.route(plan, (model) => this.backends[model.provider].stream({ prompt, model, maxTokens, signal }));
  }

  private async route<T>(plan: RoutePlan, call: (model: ChatModel) => Promise<T>): Promise<Routed<T>> {
    try {
      return { result: await call(plan.primary), model: plan.primary, failedOver: false };
    } catch (error) {
      const first = describeFailure(plan.primary.provider, plan.primary.name, error);
      if (!plan.fallback || !shouldFailOver(first)) throw new ProvidersFailedError([first]);
      this.onFailover(first, plan.fallback);
      try {
        return { result: await call(plan.fallback), model: plan.fallback, failedOver: true };
      } catch (fallbackError) {
        throw new ProvidersFailedError([first, describeFailure(plan.fallback.provider, plan.fallback.name, fallbackError)]);
      }
    }
  }
}
