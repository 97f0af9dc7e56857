import { createLogger } from '@modelwatch/exporter/winston';
import type winston from 'winston';

/** What the service writes logs with (a winston logger; tests pass their own). */
export type Logger = winston.Logger;

/**
 * JSON lines on stdout through the exporter's winston logger: trace ids of the
 * active span and secret masking come with it. `silent` turns logging off (tests).
 */
export function serviceLogger(level: string | undefined): Logger {
  const silent = level?.trim().toLowerCase() === 'silent';
  const logger = createLogger({ service: 'modelwatch-demo', level: silent ? 'error' : level });
  logger.silent = silent;
  return logger;
}
