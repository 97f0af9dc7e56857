import type { ResolvedProfile } from './models';
import { Random, seedFrom } from './random';
import { generateText } from './text';
import { countToolCallTokens } from './tokens';

/** What shapes one answer. */
export interface GenerationInput {
  profile: ResolvedProfile;
  /** The server's seed. */
  seed: number;
  /** The prompt's canonical text: the same prompt always gets the same answer. */
  prompt: string;
  /** The request's output cap (`max_tokens` and friends), if any. */
  maxOutputTokens: number | undefined;
  /** Call this tool instead of answering in text. */
  toolName: string | undefined;
  /** Reasoning models: `minimal`, `low`, `medium` or `high`. */
  reasoningEffort: string | undefined;
  /** Visible text tokens asked for with `x-fake-output-tokens`. */
  outputTokens: number | undefined;
}

/** One answer. */
export interface Generation {
  /** The visible text; empty for tool calls. */
  text: string;
  toolCall: { name: string; arguments: string } | undefined;
  /** Visible output tokens (text or tool call). */
  visibleTokens: number;
  /** Hidden reasoning tokens (reasoning models). */
  reasoningTokens: number;
  /** Everything billed as output: visible + reasoning. */
  outputTokens: number;
  /** Whether the output cap cut the answer short. */
  truncated: boolean;
}

const EFFORT_FACTOR: Record<string, number> = { minimal: 0.1, low: 0.4, medium: 1, high: 2.5 };
/** Arguments of every tool call the fake makes. */
export const TOOL_CALL_ARGUMENTS = '{}';

/** Decides the answer: length from the profile's distribution (seeded by the prompt), capped by the request. */
export function generate(input: GenerationInput): Generation {
  const { profile, toolName } = input;
  const rng = new Random(seedFrom(input.seed, profile.provider, profile.snapshot, input.prompt));
  const cap = Math.min(input.maxOutputTokens ?? profile.maxOutputTokens, profile.maxOutputTokens);
  let reasoning = 0;
  if (profile.reasoningTokensMedian !== undefined) {
    const factor = EFFORT_FACTOR[input.reasoningEffort ?? 'medium'] ?? 1;
    reasoning = Math.max(1, Math.round(rng.logNormal(profile.reasoningTokensMedian * factor, 0.5)));
  }
  if (toolName !== undefined) {
    const visible = countToolCallTokens(toolName, TOOL_CALL_ARGUMENTS);
    if (reasoning + visible <= cap) {
      return { text: '', toolCall: { name: toolName, arguments: TOOL_CALL_ARGUMENTS }, visibleTokens: visible, reasoningTokens: reasoning, outputTokens: visible + reasoning, truncated: false };
    }
  }
  let visible = input.outputTokens ?? Math.min(Math.max(1, Math.round(rng.logNormal(profile.outputTokensMedian, profile.outputTokensSigma))), profile.maxOutputTokens);
  let truncated = false;
  if (reasoning + visible > cap) {
    truncated = true;
    reasoning = Math.min(reasoning, cap);
    visible = cap - reasoning;
  }
  return { text: generateText(rng, visible), toolCall: undefined, visibleTokens: visible, reasoningTokens: reasoning, outputTokens: visible + reasoning, truncated };
}
