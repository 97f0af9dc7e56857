import { Writable } from 'node:stream';
import winston from 'winston';

/** A real winston Stream transport whose JSON lines the test reads back. */
export interface Capture {
  transport: winston.transport;
  /** The raw lines written so far. */
  lines: string[];
  /** Each line parsed. */
  entries(): Record<string, unknown>[];
  /** Waits until the logger's stream pipeline delivered what was logged. */
  flush(): Promise<void>;
}

export function capture(): Capture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line !== '') lines.push(line);
      callback();
    },
  });
  return {
    transport: new winston.transports.Stream({ stream }),
    lines,
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    flush: () => new Promise((resolve) => setImmediate(resolve)),
  };
}
