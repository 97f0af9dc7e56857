import winston from 'winston';
import { entryFormat, jsonLine, redact } from './formats';
import { anyOf, objectOf, string, validateOptions, type Shape } from '../options/schema';
import { REDACT_OPTIONS, type RedactOptions } from './redaction';

export interface CreateLoggerOptions {
  /**
   * Lowest level written: `error`, `warn`, `info`, `http`, `verbose`, `debug`, `silly`
   * (any case; `warning`, `fatal` and `trace` are read as `warn`, `error` and `silly`).
   * An unknown value falls back to `info` and the logger says so in one warning.
   * @defaultValue env `LOG_LEVEL`, else `info`
   */
  level?: string;
  /**
   * The `service` field of every line (an entry's own `service` field wins).
   * @defaultValue env `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`; no field without either
   */
  service?: string;
  /**
   * Where lines go, e.g. `new winston.transports.Stream({ stream })`.
   * @defaultValue one Console transport (stdout)
   */
  transports?: winston.transport | winston.transport[];
  /** More fields and patterns to mask, and the size bounds of one entry. */
  redact?: RedactOptions;
}

const CREATE_LOGGER_OPTIONS: Shape<CreateLoggerOptions> = {
  // Any string: an unknown level falls back to `info` with a warning line, as LOG_LEVEL does.
  level: string,
  service: string,
  transports: anyOf('winston transports'),
  redact: objectOf(REDACT_OPTIONS),
};

/** Level names of `LOG_LEVEL` other loggers use, mapped to winston's npm levels. */
const LEVEL_ALIASES: Readonly<Record<string, string>> = { warning: 'warn', fatal: 'error', trace: 'silly' };
const DEFAULT_LEVEL = 'info';

/**
 * A winston logger writing one JSON object per line: `timestamp` (ISO-8601),
 * `level`, `message`, `service`, the active span's `trace_id`/`span_id`/`trace_flags`,
 * then the entry's own fields, secrets masked. `logger.info('user %s', id)` interpolates.
 */
export function createLogger(options: CreateLoggerOptions = {}): winston.Logger {
  validateOptions('createLogger', CREATE_LOGGER_OPTIONS, options);
  const requested = options.level ?? process.env.LOG_LEVEL;
  const level = resolveLevel(requested);
  const logger = winston.createLogger({
    level: level ?? DEFAULT_LEVEL,
    levels: winston.config.npm.levels,
    format: winston.format.combine(
      entryFormat(options.service ?? serviceFromEnv(process.env)),
      winston.format.splat(),
      redact(options.redact),
      jsonLine(),
    ),
    transports: options.transports ?? new winston.transports.Console(),
  });
  if (level === undefined) {
    logger.warn(`invalid log level; using ${DEFAULT_LEVEL}`, {
      log_level_requested: requested,
      log_level_source: options.level === undefined ? 'LOG_LEVEL' : 'options.level',
    });
  }
  return logger;
}

/** The npm level for a requested one; `info` when none is asked for; undefined when it is not a level. */
export function resolveLevel(requested: string | undefined): string | undefined {
  if (requested === undefined) return DEFAULT_LEVEL;
  const normalized = requested.trim().toLowerCase();
  if (normalized === '') return DEFAULT_LEVEL;
  const level = LEVEL_ALIASES[normalized] ?? normalized;
  return Object.hasOwn(winston.config.npm.levels, level) ? level : undefined;
}

/** The service name the OTel SDK would use: `OTEL_SERVICE_NAME`, else `service.name` of `OTEL_RESOURCE_ATTRIBUTES`. */
export function serviceFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const name = env.OTEL_SERVICE_NAME?.trim();
  if (name) return name;
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const equals = pair.indexOf('=');
    if (equals === -1 || pair.slice(0, equals).trim() !== 'service.name') continue;
    const value = pair.slice(equals + 1).trim();
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return value || undefined;
    }
  }
  return undefined;
}
