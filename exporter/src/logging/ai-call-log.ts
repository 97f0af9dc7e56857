import type { AiCallSummary } from '../ai/ai-recorder';
import type { Modelwatch } from '../modelwatch';
import { nonEmptyString, validateOptions, type Shape } from '../options/schema';
import { LOG_FIELD, LOG_MESSAGE } from './fields';
import { knownLevel, type LogTarget } from './logger-target';

export interface AiCallLogOptions {
  /** Level of a successful call's line. @defaultValue `info` */
  level?: string;
  /** Level of a failed call's line. @defaultValue `warn` */
  errorLevel?: string;
  /** @defaultValue `ai call` */
  message?: string;
}

const AI_CALL_LOG_OPTIONS: Shape<AiCallLogOptions> = { level: nonEmptyString, errorLevel: nonEmptyString, message: nonEmptyString };

/**
 * Logs one line per AI call `mw` records (`observeAiCall`, `startAiCall`,
 * `recordAiCall` and the SDK integrations): provider, model, operation, duration,
 * time to first chunk, tokens, cost, error type and trace ids — never prompts or
 * completions. Returns a function that stops the logging.
 */
export function logAiCalls(mw: Pick<Modelwatch, 'onAiCall'>, logger: LogTarget, options: AiCallLogOptions = {}): () => void {
  validateOptions('logAiCalls', AI_CALL_LOG_OPTIONS, options);
  const level = knownLevel(logger, options.level, 'info');
  const errorLevel = knownLevel(logger, options.errorLevel, 'warn');
  const message = options.message ?? LOG_MESSAGE.aiCall;
  let logging = true;
  // A throw here (a broken transport) is caught and counted by the recorder, never thrown into the call.
  mw.onAiCall((call) => {
    if (!logging) return;
    const callLevel = call.errorType === undefined ? level : errorLevel;
    if (logger.isLevelEnabled(callLevel)) logger.log(callLevel, message, aiCallFields(call));
  });
  return () => {
    logging = false;
  };
}

/** The fields of an AI call's line; absent rather than 0 or null when unknown (see LOG_FIELD). */
export function aiCallFields(call: AiCallSummary): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    [LOG_FIELD.genAiProviderName]: call.provider,
    [LOG_FIELD.genAiRequestModel]: call.model,
    [LOG_FIELD.genAiOperationName]: call.operation,
  };
  setMs(fields, LOG_FIELD.durationMs, call.durationSeconds);
  setMs(fields, LOG_FIELD.ttftMs, call.timeToFirstChunkSeconds);
  const { usage } = call;
  if (usage !== undefined) {
    fields[LOG_FIELD.tokensInput] = usage.input;
    fields[LOG_FIELD.tokensOutput] = usage.output;
    fields[LOG_FIELD.tokensCacheRead] = usage.cacheRead;
    fields[LOG_FIELD.tokensCacheCreation] = usage.cacheCreation;
    fields[LOG_FIELD.tokensReasoning] = usage.reasoning;
    if (call.costUsd === undefined) fields[LOG_FIELD.costUnpriced] = true;
    else fields[LOG_FIELD.costUsd] = call.costUsd;
  }
  if (call.errorType !== undefined) fields[LOG_FIELD.errorType] = call.errorType;
  if (call.trace !== undefined) {
    fields[LOG_FIELD.traceId] = call.trace.traceId;
    fields[LOG_FIELD.spanId] = call.trace.spanId;
  }
  return fields;
}

/** Seconds as milliseconds with microsecond precision; left out when not a finite number. */
function setMs(fields: Record<string, unknown>, name: string, seconds: number | undefined): void {
  if (typeof seconds === 'number' && Number.isFinite(seconds)) fields[name] = Math.round(seconds * 1e6) / 1e3;
}
