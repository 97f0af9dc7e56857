import { isAscii } from 'node:buffer';
import { formatNumber } from './label-values';

/** Text gathered before it is encoded: one encode call per few kB rather than per line. */
const PENDING_CHARS = 16 * 1024;

/** Longest text `String(number)` gives: `-0.0000019492027054719086` (17 digits after five zeros; exponents start below 1e-6). */
export const MAX_NUMBER_CHARS = 25;

/** Below this, a byte loop beats the call into a native copy. */
const SHORT_COPY_BYTES = 32;

/** Free chunks a pool keeps; beyond that, handed-back chunks are left to the garbage collector. */
const MAX_FREE_CHUNKS = 8;

/**
 * Chunk memory handed back once its bytes have been written out, so later
 * chunks reuse it. A scrape of 100k histogram series is ~280 MB: allocated
 * afresh, that memory drives the garbage collector into a full collection
 * every few tens of MB; recycled, the scrape touches a few chunks in all.
 */
export class ChunkPool {
  private readonly free: ArrayBuffer[] = [];
  /** Memory this pool allocated: only that may come back (never a slice of Node's shared slab, say). */
  private readonly own = new WeakSet<ArrayBufferLike>();

  constructor(readonly chunkBytes: number) {}

  take(): Buffer {
    const memory = this.free.pop();
    if (memory) return Buffer.from(memory);
    const chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.own.add(chunk.buffer);
    return chunk;
  }

  /** The caller must be done with `chunk`. Chunks this pool did not allocate, or already has back, are ignored. */
  give(chunk: Buffer): void {
    const memory = chunk.buffer;
    if (!(memory instanceof ArrayBuffer) || !this.own.has(memory)) return;
    if (this.free.length < MAX_FREE_CHUNKS && !this.free.includes(memory)) this.free.push(memory);
  }
}

/**
 * Writes the exposition straight into UTF-8 Buffers of about `chunkBytes` each.
 *
 * Why bytes rather than one growing string: a scrape of 100k histogram series is
 * ~280 MB of text. Built with `+=` it is a rope of millions of small strings that
 * live until the scrape ends, so the garbage collector copies them between
 * generations and its pauses dominate the work. Here nothing outlives a chunk on
 * the JavaScript heap.
 *
 * Two ways in:
 * - `writeText`: gathered and encoded a few kB at a time. Headers and one-line
 *   series (counters, gauges) go this way.
 * - For histogram series, most of the bytes of a large scrape: `reserve` room for
 *   one whole series, then `put*` its pieces without a bounds check each. Its
 *   bucket lines repeat the same name and label pairs, so those are encoded once
 *   and the later lines copy them from earlier in the chunk (`putCopy`).
 *
 * A chunk only ever ends between two reservations or texts, so it holds whole
 * characters and whole series.
 */
export class ByteChunks {
  private chunk: Buffer;
  private used = 0;
  private pending = '';
  private full: Buffer[] = [];

  constructor(private readonly pool: ChunkPool) {
    this.chunk = pool.take();
  }

  writeText(text: string): void {
    this.pending += text;
    if (this.pending.length >= PENDING_CHARS || this.pending.length * 3 >= this.pool.chunkBytes) this.encodePending();
  }

  /**
   * Makes the next `bytes` bytes land contiguously in the current chunk. The
   * `put*` calls that follow must stay within them: they do not check.
   */
  reserve(bytes: number): void {
    this.encodePending();
    if (this.used + bytes <= this.chunk.length) return;
    this.closeChunk();
    // A series larger than a chunk gets a chunk of its own size (never pooled).
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafeSlow(bytes);
  }

  /** Where the next `put*` writes, for a later `putCopy`. */
  get position(): number {
    return this.used;
  }

  putBytes(bytes: Uint8Array): void {
    const chunk = this.chunk;
    let at = this.used;
    if (bytes.length <= SHORT_COPY_BYTES) {
      for (let i = 0; i < bytes.length; i++) chunk[at++] = bytes[i]!;
    } else {
      chunk.set(bytes, at);
      at += bytes.length;
    }
    this.used = at;
  }

  putByte(byte: number): void {
    this.chunk[this.used++] = byte;
  }

  /** UTF-8 of `text`; reserve 3 bytes per UTF-16 code unit. */
  putText(text: string): void {
    const chunk = this.chunk;
    let at = this.used;
    if (text.length <= SHORT_COPY_BYTES) {
      let i = 0;
      for (; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0x80) break;
        chunk[at++] = code;
      }
      if (i < text.length) at += chunk.write(text.slice(i), at);
    } else {
      at += chunk.write(text, at);
    }
    this.used = at;
  }

  /** Copies `length` bytes put earlier in the current reservation, from `start`. */
  putCopy(start: number, length: number): void {
    const chunk = this.chunk;
    let at = this.used;
    if (length <= SHORT_COPY_BYTES) {
      for (let i = start; i < start + length; i++) chunk[at++] = chunk[i]!;
    } else {
      chunk.copyWithin(at, start, start + length);
      at += length;
    }
    this.used = at;
  }

  /** A sample value as `formatNumber` writes it; reserve MAX_NUMBER_CHARS. Counts take a path without allocation. */
  putNumber(value: number): void {
    if (Number.isSafeInteger(value) && value >= 0) {
      this.putCount(value);
      return;
    }
    const text = formatNumber(value);
    // Digits, sign, point and exponent: ASCII, one byte each.
    const chunk = this.chunk;
    let at = this.used;
    for (let i = 0; i < text.length; i++) chunk[at++] = text.charCodeAt(i);
    this.used = at;
  }

  private putCount(value: number): void {
    const chunk = this.chunk;
    if (value < 10) {
      chunk[this.used++] = 0x30 + value;
      return;
    }
    let digits = 0;
    for (let rest = value; rest > 0; rest = (rest - (rest % 10)) / 10) digits++;
    let at = this.used + digits;
    this.used = at;
    // `(rest - digit) / 10` is exact, where `Math.floor(rest / 10)` can round up near 2^53.
    for (let rest = value; rest > 0; rest = (rest - (rest % 10)) / 10) chunk[--at] = 0x30 + (rest % 10);
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
    this.used += this.chunk.write(text, this.used);
  }

  private closeChunk(another = true): void {
    if (this.used === 0) return;
    this.full.push(this.chunk.subarray(0, this.used));
    if (another) this.chunk = this.pool.take();
    this.used = 0;
  }
}

/** A chunk as a string: ASCII (the usual case) is copied as is, anything else decoded. */
export function chunkText(chunk: Buffer): string {
  return chunk.toString(isAscii(chunk) ? 'latin1' : 'utf8');
}

const NONE: never[] = [];
