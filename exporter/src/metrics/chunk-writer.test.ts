import { describe, expect, it } from 'vitest';
import { ByteChunks, ChunkPool, MAX_NUMBER_CHARS, chunkText } from './chunk-writer';
import { formatNumber } from './label-values';

function written(write: (out: ByteChunks) => void, chunkBytes = 1024): string {
  const out = new ByteChunks(new ChunkPool(chunkBytes));
  write(out);
  return Buffer.concat(out.end()).toString('utf8');
}

describe('ByteChunks', () => {
  it.each([0, 7, 10, 99, 1234567, 2 ** 53 - 1, 999_999_999_999_999, 0.1, 1 / 3, 1e21, 1.5e-7, -0, -3, -2.5e300, Number.MAX_VALUE, NaN, Infinity, -Infinity, -0.0000019492027054719086])(
    'puts %d as formatNumber writes it, within MAX_NUMBER_CHARS',
    (value) => {
      // A chunk of exactly the reserved size: a number longer than the bound would lose its last bytes.
      expect(
        written((out) => {
          out.reserve(MAX_NUMBER_CHARS);
          out.putNumber(value);
        }, MAX_NUMBER_CHARS),
      ).toBe(formatNumber(value));
    },
  );

  it('puts text as UTF-8, whatever its length and wherever a multi-byte character falls', () => {
    for (const text of ['plain', 'modèle-🤖', `${'a'.repeat(40)}é${'b'.repeat(40)}`, '🤖'.repeat(20), 'x'.repeat(31) + 'é']) {
      expect(
        written((out) => {
          out.reserve(3 * text.length);
          out.putText(text);
        }),
      ).toBe(text);
    }
  });

  it('copies bytes put earlier in the same reservation, short and long', () => {
    const text = written((out) => {
      const long = 'y'.repeat(100);
      out.reserve(400);
      const start = out.position;
      out.putText(`ab${long}`);
      out.putByte(0x7c);
      out.putCopy(start, 2);
      out.putCopy(start, 102);
    });
    expect(text).toBe(`ab${'y'.repeat(100)}|abab${'y'.repeat(100)}`);
  });

  it('starts a new chunk when a reservation does not fit, and gives a series larger than a chunk a chunk of its own', () => {
    const out = new ByteChunks(new ChunkPool(64));
    out.reserve(40);
    out.putText('a'.repeat(40));
    out.reserve(40);
    out.putText('b'.repeat(40));
    out.reserve(200);
    out.putText('c'.repeat(200));
    const chunks = out.end();
    expect(chunks.map(chunkText)).toEqual(['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(200)]);
  });
});

describe('ChunkPool', () => {
  it('hands a given-back chunk out again, once even when given back twice', () => {
    const pool = new ChunkPool(4096);
    const first = pool.take();
    const second = pool.take();
    expect(first.buffer).not.toBe(second.buffer);
    pool.give(first.subarray(0, 10));
    pool.give(first);
    const again = pool.take();
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(4096);
    expect(pool.take().buffer).not.toBe(first.buffer);
  });

  it('keeps nothing it did not hand out: other sizes and views of Node’s shared slab', () => {
    const pool = new ChunkPool(8192);
    // Small Buffer.from() results are slices of an 8 KiB shared slab: pooling one would hand
    // out memory that other Buffers still use.
    const slabSlice = Buffer.from('shared');
    expect(slabSlice.buffer.byteLength).toBe(Buffer.poolSize);
    pool.give(slabSlice);
    pool.give(Buffer.allocUnsafeSlow(100));
    expect(pool.take().buffer).not.toBe(slabSlice.buffer);
  });
});
