import { isAscii } from 'node:buffer';

/** Text gathered before it is encoded: one encode call per few kB rather than per line. */
const PENDING_CHARS = 16 * 1024;

/**
 * Writes the exposition straight into UTF-8 Buffers of about `chunkBytes` each.
 *
 * Why bytes rather than one growing string: a scrape of 100k histogram series is
 * ~280 MB of text. Built with `+=` it is a rope of millions of small strings that
 * live until the scrape ends, so the garbage collector copies them between
 * generations and its pauses dominate the work. Here the bulk of it — bucket
 * lines, the same label pairs and `le` bounds repeated — is copied byte for byte
 * from pre-encoded pieces (`writeBytes`), other text is encoded a few kB at a
 * time (`writeText`), and nothing outlives a chunk on the JavaScript heap.
 * A chunk only ever ends between two writes, so it holds whole characters.
 */
export class ByteChunks {
  private chunk: Buffer;
  private used = 0;
  private pending = '';
  private full: Buffer[] = [];

  constructor(private readonly chunkBytes: number) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
  }

  writeText(text: string): void {
    this.pending += text;
    if (this.pending.length >= PENDING_CHARS || this.pending.length * 3 >= this.chunkBytes) this.encodePending();
  }

  writeBytes(bytes: Uint8Array): void {
    this.encodePending();
    this.reserve(bytes.length);
    this.chunk.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** A count as `String(value)` writes it. */
  writeCount(value: number): void {
    this.encodePending();
    if (value >= 0 && value < 10 && Number.isInteger(value)) {
      this.reserve(1);
      this.chunk[this.used++] = 0x30 + value;
      return;
    }
    const digits = String(value);
    this.reserve(digits.length);
    // Digits, sign, point and exponent: ASCII, one byte each.
    for (let i = 0; i < digits.length; i++) this.chunk[this.used++] = digits.charCodeAt(i);
  }

  /** Chunks completed so far, handed over once. */
  takeFull(): Buffer[] {
    if (this.full.length === 0) return NONE;
    const full = this.full;
    this.full = [];
    return full;
  }

  /** The rest, as chunks. */
  end(): Buffer[] {
    this.encodePending();
    this.closeChunk(false);
    return this.takeFull();
  }

  private encodePending(): void {
    const text = this.pending;
    if (text === '') return;
    this.pending = '';
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    this.reserve(text.length * 3);
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.chunk.length) return;
    this.closeChunk();
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
  }

  private closeChunk(another = true): void {
    if (this.used === 0) return;
    this.full.push(this.chunk.subarray(0, this.used));
    if (another) this.chunk = Buffer.allocUnsafe(this.chunkBytes);
    this.used = 0;
  }
}

/** A chunk as a string: ASCII (the usual case) is copied as is, anything else decoded. */
export function chunkText(chunk: Buffer): string {
  return chunk.toString(isAscii(chunk) ? 'latin1' : 'utf8');
}

const NONE: never[] = [];
