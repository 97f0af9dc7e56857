import { createHash } from 'node:crypto';
import { failoverTwin, findChatModel, modelFor, PROVIDERS, type ChatModel, type Tier } from './models';

/** Which model answers first and which takes over if its provider fails. */
export interface RoutePlan {
  primary: ChatModel;
  fallback: ChatModel | undefined;
}

/**
 * Picks the model for a chat turn. A named model wins; otherwise the tier's
 * provider is chosen by a hash of the normalised prompt, so the same question
 * always lands on the same model ("sticky" routing): load is split between
 * providers while answer-cache and prompt-cache hits stay high.
 */
export function planRoute(input: { model?: string; tier: Tier; cacheKey: string }): RoutePlan {
  const primary = input.model === undefined ? modelFor(input.tier, PROVIDERS[stickyIndex(input.cacheKey, PROVIDERS.length)]!) : findChatModel(input.model);
  if (!primary) throw new RangeError(`Unknown model ${JSON.stringify(input.model)}`);
  return { primary, fallback: failoverTwin(primary) };
}

function stickyIndex(key: string, buckets: number): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) % buckets;
}
