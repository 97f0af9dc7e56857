/**
 * Input series of the alert cases (written with the legacy GenAI names) as an
 * exporter in `latest` semconv mode writes them: inference durations and first
 * chunks under the v0.1 names, tokens in one usage counter per kind. The same
 * scenarios must then fire the same alerts from the rules generated for latest.
 */
import { GEN_AI_INFERENCE_OPERATIONS, LABEL, LATEST_GEN_AI_METRICS, METRICS, UNKNOWN_TOKEN_MODALITY, TOKEN_TYPE, USAGE_COUNTER_BY_TOKEN_TYPE, type TokenType } from '@modelwatch/conventions';

const SERIES = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const HISTOGRAM_SUFFIX = /(_bucket|_count|_sum)$/;

const written = (name: string, labels: readonly (readonly [string, string])[]) => `${name}{${labels.map(([label, value]) => `${label}="${value}"`).join(',')}}`;

/** One series in the names of latest mode (unchanged when latest keeps its name; none when latest does not write it). */
export function inLatestNames(series: string): string | undefined {
  const match = SERIES.exec(series);
  if (!match) throw new Error(`not a series: ${series}`);
  const name = match[1]!;
  const labels = [...(match[2] ?? '').matchAll(LABEL_PAIR)].map((pair) => [pair[1]!, pair[2]!] as const);
  const label = (key: string) => labels.find(([k]) => k === key)?.[1];
  const base = name.replace(HISTOGRAM_SUFFIX, '');
  const suffix = name.slice(base.length);
  const inference = GEN_AI_INFERENCE_OPERATIONS.includes(label(LABEL.genAiOperationName) ?? '');
  if (base === METRICS.genAiOperationDuration.name && inference) {
    return written(`${LATEST_GEN_AI_METRICS.inferenceDuration.name}${suffix}`, labels);
  }
  if (base === METRICS.genAiTimeToFirstChunk.name) return written(`${LATEST_GEN_AI_METRICS.inferenceTimeToFirstChunk.name}${suffix}`, labels);
  if (name === METRICS.genAiTokens.name) {
    const counter = LATEST_GEN_AI_METRICS[USAGE_COUNTER_BY_TOKEN_TYPE[label(LABEL.genAiTokenType) as TokenType]];
    return written(counter.name, [...labels.filter(([key]) => key !== LABEL.genAiTokenType), [LABEL.genAiTokenModality, UNKNOWN_TOKEN_MODALITY]]);
  }
  if (base === METRICS.genAiTokenUsage.name) {
    // Latest mode keeps per-call tokens of inference calls only, in a histogram per direction.
    if (!inference) return undefined;
    const perCall = label(LABEL.genAiTokenType) === TOKEN_TYPE.input ? LATEST_GEN_AI_METRICS.inferenceInputTokens : LATEST_GEN_AI_METRICS.inferenceOutputTokens;
    return written(`${perCall.name}${suffix}`, labels.filter(([key]) => key !== LABEL.genAiTokenType));
  }
  return series;
}
