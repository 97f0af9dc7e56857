import { randomUUID } from 'node:crypto';
import { normalizeUsage } from '@modelwatch/exporter';
import type { ChatAnswer } from '../ai/chat-backend';
import type { ChatRouter, Routed } from '../ai/chat-router';
import { planRoute, type RoutePlan } from '../ai/routing';
import type { JsonCache } from '../cache/json-cache';
import { promptKey } from '../cache/prompt-key';
import type { DemoStore } from '../db/store';
import { NotFoundError } from './errors';
import type { Logger } from './logger';
import { replayDeltas } from './sse';
import { classifyTopic } from './topics';
import type { ChatInput } from './validation';

/** Longest answer asked of a model; the fakes then pick a realistic length below it. */
const MAX_OUTPUT_TOKENS = 512;

export interface ChatResult {
  answer: ChatAnswer;
  cached: boolean;
  failedOver: boolean;
  inputTokens: number;
  outputTokens: number;
}

/** Where a streamed answer goes: opened once the provider (or the cache) is ready, then text deltas. */
export interface DeltaSink {
  open(cached: boolean): void;
  delta(text: string): void;
}

/**
 * A chat turn: route to a model, answer from the cache when the same question
 * was answered recently by that model, else call the provider (with failover),
 * and record the turn's metadata in the database.
 */
export class ChatService {
  constructor(
    private readonly router: ChatRouter,
    private readonly answers: JsonCache,
    private readonly store: DemoStore,
    private readonly logger: Logger,
  ) {}

  async answer(input: ChatInput, signal: AbortSignal): Promise<ChatResult> {
    const started = performance.now();
    await this.checkUser(input.userId);
    const { plan, cacheKey } = this.plan(input);
    let routed: Routed<ChatAnswer> | undefined;
    const { value, hit } = await this.answers.lookup(
      cacheKey,
      async () => {
        routed = await this.router.complete(plan, input.prompt, MAX_OUTPUT_TOKENS, signal);
        return routed.result;
      },
      cacheOptions(plan, () => routed?.failedOver ?? false),
    );
    return this.finish(input, value, hit, routed?.failedOver ?? false, started);
  }

  /**
   * Streams the answer to `sink`. Provider errors before the first delta throw
   * (the caller can still answer with an error status); later ones throw after `open`.
   */
  async stream(input: ChatInput, signal: AbortSignal, sink: DeltaSink): Promise<ChatResult> {
    const started = performance.now();
    await this.checkUser(input.userId);
    const { plan, cacheKey } = this.plan(input);
    let failedOver = false;
    const { value, hit } = await this.answers.lookup(
      cacheKey,
      async () => {
        const routed = await this.router.stream(plan, input.prompt, MAX_OUTPUT_TOKENS, signal);
        failedOver = routed.failedOver;
        sink.open(false);
        for await (const delta of routed.result) sink.delta(delta);
        return routed.result.answer();
      },
      cacheOptions(plan, () => failedOver),
    );
    if (hit) {
      sink.open(true);
      for (const delta of replayDeltas(value.text)) sink.delta(delta);
    }
    return this.finish(input, value, hit, failedOver, started);
  }

  /** History is kept per known user: an unknown id is the caller's mistake (404), found before any AI spend. */
  private async checkUser(userId: string | undefined): Promise<void> {
    if (userId !== undefined && !(await this.store.findUser(userId))) throw new NotFoundError(`Unknown user ${JSON.stringify(userId)}`);
  }

  private plan(input: ChatInput): { plan: RoutePlan; cacheKey: string } {
    const key = promptKey(input.prompt);
    const plan = planRoute({ model: input.model, tier: input.tier, cacheKey: key });
    return { plan, cacheKey: `${plan.primary.name}:${key}` };
  }

  private async finish(input: ChatInput, answer: ChatAnswer, cached: boolean, failedOver: boolean, started: number): Promise<ChatResult> {
    const usage = normalizeUsage(answer.usage, answer.provider);
    const result: ChatResult = {
      answer,
      cached,
      failedOver,
      inputTokens: usage.ok ? usage.usage.input : 0,
      outputTokens: usage.ok ? usage.usage.output : 0,
    };
    try {
      await this.store.recordConversation({
        id: randomUUID(),
        userId: input.userId,
        provider: answer.provider,
        model: answer.model,
        tier: input.tier,
        topic: classifyTopic(input.prompt),
        streamed: input.stream,
        cached,
        failedOver,
        // A cached answer cost no tokens this time.
        inputTokens: cached ? 0 : result.inputTokens,
        outputTokens: cached ? 0 : result.outputTokens,
        latencyMs: performance.now() - started,
        createdAt: new Date(),
      });
    } catch (error) {
      // The user got their answer; losing one history row is not worth failing the request.
      this.logger.error('conversation not recorded', { error: (error as Error).message });
    }
    return result;
  }
}

/**
 * Answers are cached under the model that was asked; one that came from the
 * failover model is not stored, so the preferred model's answer replaces it
 * once its provider recovers (and the saved cost is priced for the right provider).
 */
function cacheOptions(plan: RoutePlan, failedOver: () => boolean) {
  return { aiProvider: plan.primary.provider, shouldStore: () => !failedOver() };
}
