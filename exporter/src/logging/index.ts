/**
 * `@modelwatch/exporter/winston`: JSON logs for services instrumented by Modelwatch,
 * correlated with traces and free of secrets. A separate entry so apps without
 * winston never load it.
 */
export { createLogger, type CreateLoggerOptions } from './create-logger';
export { traceContext, redact } from './formats';
export { logAiCalls, type AiCallLogOptions } from './ai-call-log';
export { accessLog, accessLogLevel, DEFAULT_ACCESS_LOG_IGNORED_PATHS, type AccessLogMiddleware, type AccessLogOptions } from './access-log';
export { DEFAULT_REDACTED_FIELDS, type RedactOptions } from './redaction';
export type { PiiKind } from './pii';
export { LOG_FIELD, LOG_MESSAGE, REDACTED, TRUNCATED } from './fields';
export type { LogTarget } from './logger-target';
