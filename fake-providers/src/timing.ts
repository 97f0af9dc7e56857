import type { ResolvedProfile } from './models';
import type { Random } from './random';

/** When a response's tokens come out, already multiplied by `timeScale`. */
export interface Timing {
  /** Before the first token: queueing, prefill of uncached input, hidden reasoning. */
  firstTokenMs: number;
  /** Between output tokens. */
  perTokenMs: number;
}

/** Plans a response's timing; with `timeScale` 0 everything is instant (and no randomness is drawn). */
export function planTiming(profile: ResolvedProfile, rng: Random, timeScale: number, uncachedInputTokens: number, reasoningTokens: number): Timing {
  if (timeScale === 0) return { firstTokenMs: 0, perTokenMs: 0 };
  const queueing = rng.logNormal(profile.ttftMedianMs, profile.ttftSigma);
  const prefill = (uncachedInputTokens / 1000) * profile.prefillMsPer1kTokens;
  const reasoning = reasoningTokens * profile.msPerOutputToken;
  return { firstTokenMs: (queueing + prefill + reasoning) * timeScale, perTokenMs: profile.msPerOutputToken * timeScale };
}

/** Milliseconds to emit `chars` characters of output (four per token). */
export function emitMs(timing: Timing, chars: number): number {
  return (timing.perTokenMs * chars) / 4;
}
