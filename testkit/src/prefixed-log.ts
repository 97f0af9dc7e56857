/**
 * Where a child's output goes. Several children share one log (a file in
 * `npm start`, a stream in tests), so each line carries the child's name;
 * and the last lines are always kept in memory, so a child that fails to start
 * can be explained in the error itself.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';

/** A stream, or the path of a file to append to. */
export type LogTarget = Writable | string;

const TAIL_LIMIT = 64 * 1024;

export interface PrefixedLog {
  /** Feed raw output; complete lines are written with the prefix. */
  write(chunk: Buffer | string): void;
  /** Writes a line that did not end in a newline, and closes a file target (not a stream the caller owns). */
  end(): Promise<void>;
  /** The last 64 KiB of output, unprefixed. */
  tail(): string;
}

/** A log that prefixes each line with `[name] ` and writes it to `target` (or nowhere). */
export function createPrefixedLog(name: string, target?: LogTarget): PrefixedLog {
  const prefix = `[${name}] `;
  let stream: Writable | undefined;
  let ownsStream = false;
  if (typeof target === 'string') {
    mkdirSync(dirname(target), { recursive: true });
    stream = createWriteStream(target, { flags: 'a' });
    ownsStream = true;
  } else {
    stream = target;
  }
  let partial = '';
  let tail = '';
  return {
    write(chunk) {
      const text = chunk.toString();
      tail = (tail + text).slice(-TAIL_LIMIT);
      if (!stream) return;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length > 0) stream.write(lines.map((line) => `${prefix}${line}\n`).join(''));
    },
    async end() {
      if (stream && partial) stream.write(`${prefix}${partial}\n`);
      partial = '';
      if (stream && ownsStream) await new Promise<void>((resolve) => stream.end(resolve));
    },
    tail: () => tail,
  };
}
