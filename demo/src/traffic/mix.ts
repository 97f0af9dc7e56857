import { tenantAt } from '../shared/tenants';
import { pickPrompt, pickTexts } from './prompts';
import type { Random } from './random';

/** One request of the mix: what to send and under which route template to count it. */
export interface PlannedRequest {
  kind: RequestKind;
  method: 'GET' | 'POST';
  /** Path with query string. */
  path: string;
  /** The service's route template, so the summary lines up with `http_route` in the metrics. */
  route: string;
  body?: unknown;
  /** The customer the request is for (the `x-tenant-id` header). */
  tenant: string;
}

export type RequestKind = 'chat_fast' | 'chat_premium' | 'chat_stream' | 'embeddings' | 'recommendations';

/** The share of each kind in the traffic, like a support assistant's day. */
export const REQUEST_MIX: ReadonlyArray<readonly [RequestKind, number]> = [
  ['chat_fast', 0.7],
  ['chat_premium', 0.1],
  ['chat_stream', 0.1],
  ['embeddings', 0.05],
  ['recommendations', 0.05],
];

/** The seeded users (`user-001` … `user-100`). */
const USER_COUNT = 100;

export function planRequest(random: Random): PlannedRequest {
  const kind = pickKind(random.next());
  const userId = `user-${String(1 + random.int(USER_COUNT)).padStart(3, '0')}`;
  const tenant = tenantAt(random.next());
  switch (kind) {
    case 'chat_fast':
      return { kind, method: 'POST', path: '/chat', route: '/chat', body: { prompt: pickPrompt(random), tier: 'fast', userId }, tenant };
    case 'chat_premium':
      return { kind, method: 'POST', path: '/chat', route: '/chat', body: { prompt: pickPrompt(random), tier: 'premium', userId }, tenant };
    case 'chat_stream':
      return { kind, method: 'POST', path: '/chat', route: '/chat', body: { prompt: pickPrompt(random), tier: 'fast', stream: true, userId }, tenant };
    case 'embeddings':
      return { kind, method: 'POST', path: '/embeddings', route: '/embeddings', body: { texts: pickTexts(random) }, tenant };
    case 'recommendations':
      return { kind, method: 'GET', path: `/recommendations?userId=${userId}`, route: '/recommendations', tenant };
  }
}

function pickKind(draw: number): RequestKind {
  let cumulative = 0;
  for (const [kind, share] of REQUEST_MIX) {
    cumulative += share;
    if (draw < cumulative) return kind;
  }
  return REQUEST_MIX[REQUEST_MIX.length - 1]![0];
}
