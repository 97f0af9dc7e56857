import type { Random } from './random';
import { tokensToChars } from './tokens';

const WORDS = [
  'the', 'service', 'latency', 'model', 'request', 'cache', 'token', 'budget', 'trace', 'metric',
  'answer', 'prompt', 'response', 'stream', 'error', 'retry', 'window', 'signal', 'health', 'score',
  'is', 'was', 'will', 'can', 'should', 'may', 'returns', 'records', 'measures', 'explains',
  'a', 'an', 'every', 'each', 'this', 'that', 'our', 'your', 'their', 'its',
  'quickly', 'carefully', 'usually', 'rarely', 'often', 'clearly', 'briefly', 'safely', 'again', 'soon',
  'for', 'with', 'from', 'into', 'over', 'under', 'after', 'before', 'during', 'between',
  'users', 'engineers', 'dashboards', 'alerts', 'queues', 'workers', 'replicas', 'regions', 'clients', 'providers',
  'stable', 'slow', 'fast', 'cheap', 'costly', 'healthy', 'degraded', 'recent', 'typical', 'useful',
] as const;

/**
 * Deterministic prose of exactly `tokens` tokens by the counting heuristic
 * (`tokens × 4` characters): sentences of words drawn from `rng`, cut to length.
 */
export function generateText(rng: Random, tokens: number): string {
  const length = tokensToChars(Math.max(0, Math.floor(tokens)));
  if (length === 0) return '';
  const sentences: string[] = [];
  let total = 0;
  while (total < length) {
    const words: string[] = [];
    const count = rng.int(6, 14);
    for (let i = 0; i < count; i++) words.push(WORDS[rng.int(0, WORDS.length - 1)] ?? 'the');
    const first = words[0] ?? 'the';
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    const sentence = `${words.join(' ')}.`;
    sentences.push(sentence);
    total += sentence.length + 1;
  }
  const text = sentences.join(' ').slice(0, length);
  return text.endsWith(' ') ? `${text.slice(0, -1)}.` : text;
}

/** Splits text into stream deltas of about one word each; joined, they give back the text. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

/** Splits text into `count` nearly equal pieces (at least one, possibly empty). */
export function splitEvenly(text: string, count: number): string[] {
  const parts = Math.max(1, Math.min(count, text.length));
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}
