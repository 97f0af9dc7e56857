import type { ChatAnswer, ChatBackend, ChatStream } from './chat-backend';
import type { Failover } from '@modelwatch/exporter/failover';
import { findChatModel, type ChatModel, type Provider } from './models';
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

/** The circuits of the alert-driven failover (`@modelwatch/exporter/failover`). */
export type Circuits = Pick<Failover, 'route' | 'isOpen'>;

/**
 * Sends a chat turn to the planned model and, when its provider throttles or
 * fails (429, 5xx, timeout, connection), once to the same-tier model of the
 * other provider. Client errors (4xx) are ours and are not retried elsewhere.
 * With `circuits`, a model whose failover alert fires is not called at all
 * (its fallback is, but for a trial call now and then), and a model whose
 * circuit is open is no call's fallback.
 */
export class ChatRouter {
  constructor(
    private readonly backends: Readonly<Record<Provider, ChatBackend>>,
    private readonly onFailover: FailoverListener = () => undefined,
    private readonly circuits?: Circuits,
  ) {}

  complete(plan: RoutePlan, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<Routed<ChatAnswer>> {
    return this.route(plan, (model) => this.backends[model.provider].complete({ prompt, model, maxTokens, signal }));
  }

  /** Failover applies until the stream is open; a stream failing midway is the caller's to report. */
  stream(plan: RoutePlan, prompt: string, maxTokens: number, signal?: AbortSignal): Promise<Routed<ChatStream>> {
    return this.route(plan, (model) => this.backends[model.provider].stream({ prompt, model, maxTokens, signal }));
  }

  private async route<T>(planned: RoutePlan, call: (model: ChatModel) => Promise<T>): Promise<Routed<T>> {
    const plan = this.throughCircuits(planned);
    if (plan.primary !== planned.primary) {
      // The circuit moved the call: the model it was planned for is down, so it is not this call's fallback either.
      return { result: await this.callOnly(plan.primary, call), model: plan.primary, failedOver: true };
    }
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

  /** The plan as the circuits have it: the primary's fallback when its circuit moved it, no fallback whose circuit is open. */
  private throughCircuits(plan: RoutePlan): RoutePlan {
    if (!this.circuits) return plan;
    const decision = this.circuits.route({ provider: plan.primary.provider, model: plan.primary.name });
    const moved = decision.failedOver ? findChatModel(decision.model) : undefined;
    if (moved) return { primary: moved, fallback: undefined };
    const fallback = plan.fallback && this.circuits.isOpen({ provider: plan.fallback.provider, model: plan.fallback.name }) ? undefined : plan.fallback;
    return fallback === plan.fallback ? plan : { primary: plan.primary, fallback };
  }

  private async callOnly<T>(model: ChatModel, call: (model: ChatModel) => Promise<T>): Promise<T> {
    try {
      return await call(model);
    } catch (error) {
      throw new ProvidersFailedError([describeFailure(model.provider, model.name, error)]);
    }
  }
}
