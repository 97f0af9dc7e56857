import type { FaultRegistry } from './faults';
import type { ModelCatalog } from './models';
import type { PromptCache } from './prompt-cache';
import type { RateLimiter } from './rate-limits';
import type { Random } from './random';
import type { RequestLog } from './request-log';

/** Everything a request handler shares with the server. */
export interface ServerState {
  readonly catalog: ModelCatalog;
  readonly faults: FaultRegistry;
  readonly openaiCache: PromptCache;
  readonly anthropicCache: PromptCache;
  /** Gemini's implicit caching. */
  readonly geminiCache: PromptCache;
  /** Latency jitter, fault draws and ids (answers are seeded by their prompt instead). */
  readonly rng: Random;
  readonly seed: number;
  readonly timeScale: number;
  readonly maxHangMs: number;
  readonly log: RequestLog;
  /** The per-model rate-limit budgets every response reports. */
  readonly rateLimits: RateLimiter;
  /** The clock of the rate-limit budgets (epoch milliseconds). */
  readonly now: () => number;
  /** Aborted by `close()`: every pending wait ends. */
  readonly signal: AbortSignal;
}
