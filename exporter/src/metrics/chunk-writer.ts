/**
 * Where the exposition text goes while it is serialised, cut into chunks.
 *
 * Why not one growing string: a scrape of 100k histogram series is ~280 MB of
 * text. Built with `+=` it is a rope of millions of small strings that all live
 * until the scrape ends, so the garbage collector copies them from generation
 * to generation and its pauses dominate the work. Both sinks copy each ~16 kB
 * of series text once into something flat (a Buffer, or a joined string), so
 * the small strings die young and cost almost nothing to collect.
 */
export interface ChunkSink<T> {
  /** Text of one or more whole series. */
  write(text: string): void;
  /** Chunks completed so far, handed over once. */
  takeFull(): T[];
  /** The rest, as chunks. */
  end(): T[];
}

/** Series text gathered before it is copied: one copy per ~16 kB rather than per line. */
const GATHER_CHARS = 16 * 1024;

/**
 * UTF-8 Buffers of about `chunkBytes` each, for the wire: the text lives off the
 * JavaScript heap. A chunk only ends between two `write` calls, so it holds whole characters.
 */
export class BufferChunks implements ChunkSink<Buffer> {
  private chunk: Buffer;
  private used = 0;
  private pending = '';
  private full: Buffer[] = [];
  private readonly gatherChars: number;

  constructor(private readonly chunkBytes: number) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.gatherChars = Math.min(GATHER_CHARS, chunkBytes);
  }

  write(text: string): void {
    this.pending += text;
    if (this.pending.length >= this.gatherChars) this.copyPending();
  }

  takeFull(): Buffer[] {
    return takeAll(this.full, (rest) => (this.full = rest));
  }

  end(): Buffer[] {
    this.copyPending();
    this.closeChunk();
    return this.takeFull();
  }

  private copyPending(): void {
    const text = this.pending;
    if (text === '') return;
    this.pending = '';
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    const worstCase = text.length * 3;
    if (this.used + worstCase > this.chunk.length) {
      this.closeChunk();
      this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, worstCase));
    }
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  private closeChunk(): void {
    if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used));
    this.used = 0;
  }
}

/**
 * Flat strings of about `chunkChars` each, for `metrics()`. Series text is
 * joined per ~16 kB, and those per chunk; chunks of 1 Mi characters and more go
 * straight to V8's large-object space, which is never copied.
 */
export class StringChunks implements ChunkSink<string> {
  private series: string[] = [];
  private seriesChars = 0;
  private gathered: string[] = [];
  private gatheredChars = 0;
  private full: string[] = [];

  constructor(private readonly chunkChars: number) {}

  write(text: string): void {
    this.series.push(text);
    this.seriesChars += text.length;
    if (this.seriesChars >= GATHER_CHARS) this.gather();
  }

  takeFull(): string[] {
    return takeAll(this.full, (rest) => (this.full = rest));
  }

  end(): string[] {
    this.gather();
    this.closeChunk();
    return this.takeFull();
  }

  private gather(): void {
    if (this.seriesChars === 0) return;
    const text = this.series.join('');
    this.series = [];
    this.seriesChars = 0;
    this.gathered.push(text);
    this.gatheredChars += text.length;
    if (this.gatheredChars >= this.chunkChars) this.closeChunk();
  }

  private closeChunk(): void {
    if (this.gatheredChars === 0) return;
    this.full.push(this.gathered.join(''));
    this.gathered = [];
    this.gatheredChars = 0;
  }
}

function takeAll<T>(items: T[], replace: (rest: T[]) => void): T[] {
  if (items.length === 0) return NONE;
  replace([]);
  return items;
}

const NONE: never[] = [];
