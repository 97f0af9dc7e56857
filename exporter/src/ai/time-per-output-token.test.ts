import { describe, expect, it } from 'vitest';
import { timePerOutputToken } from './time-per-output-token';

describe('timePerOutputToken', () => {
  it.each([
    ['a call answered in one piece: duration over every output token', 2, undefined, 80, 0.025],
    ['a one-token answer in one piece: its whole duration', 0.4, undefined, 1, 0.4],
    ['a stream: the time after the first chunk over the tokens after the first', 2.5, 0.5, 81, 0.025],
    ['a two-token stream: the time between its two tokens', 0.7, 0.6, 2, 0.1],
  ])('%s', (_, duration, firstChunk, outputTokens, expected) => {
    expect(timePerOutputToken(duration, firstChunk, outputTokens)).toBeCloseTo(expected, 12);
  });

  it.each([
    ['a call without output (embeddings)', 0.3, undefined, 0],
    ['a stream without output', 0.3, 0.1, 0],
    ['a stream of one token, which has no token after its first', 0.3, 0.1, 1],
  ])('has no figure for %s', (_, duration, firstChunk, outputTokens) => {
    expect(timePerOutputToken(duration, firstChunk, outputTokens)).toBeUndefined();
  });
});
