import type winston from 'winston';

/**
 * What the AI-call and access logs need of a logger: any winston logger or child
 * logger. `isLevelEnabled` lets them skip building a line the logger would drop.
 */
export type LogTarget = Pick<winston.Logger, 'log' | 'levels' | 'isLevelEnabled'>;

/** `level` when the logger knows it, else `fallback` (a line at an unknown level is lost with a console error). */
export function knownLevel(logger: LogTarget, level: string | undefined, fallback: string): string {
  return level !== undefined && Object.hasOwn(logger.levels, level) ? level : fallback;
}
