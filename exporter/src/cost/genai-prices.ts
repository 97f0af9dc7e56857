import { createRequire } from 'node:module';
import type * as GenaiPrices from '@pydantic/genai-prices';

const requireFromHere = createRequire(__filename);
let loaded: typeof GenaiPrices | undefined;

/**
 * `@pydantic/genai-prices`, loaded at the first price lookup rather than when the
 * library is imported: its table is the largest part of Modelwatch's import time
 * and memory, which an app pays at startup otherwise, and never needs when no call
 * is priced (`bundledPrices: false`, or no AI calls in this process). Loading is
 * synchronous, so the first priced call is priced like every other.
 */
export function genaiPrices(): typeof GenaiPrices {
  return (loaded ??= requireFromHere('@pydantic/genai-prices') as typeof GenaiPrices);
}
