import type { Response } from 'express';

/** Server-sent events on an Express response: what `POST /chat` with `stream: true` answers. */
export class SseWriter {
  constructor(private readonly res: Response) {}

  open(headers: Record<string, string> = {}): void {
    this.res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      // Tells reverse proxies (nginx) not to buffer the stream.
      'X-Accel-Buffering': 'no',
      ...headers,
    });
    this.res.flushHeaders();
  }

  /** A text delta: `data: {"delta": "..."}`. */
  delta(text: string): void {
    this.res.write(`data: ${JSON.stringify({ delta: text })}\n\n`);
  }

  event(name: 'done' | 'error', data: unknown): void {
    this.res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    this.res.end();
  }
}

/** Splits a cached answer into word-sized deltas, so a cache hit streams like a live answer. */
export function* replayDeltas(text: string): Generator<string> {
  const words = text.match(/\S+\s*/g) ?? [];
  for (let i = 0; i < words.length; i += 4) yield words.slice(i, i + 4).join('');
}
