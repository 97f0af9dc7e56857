import { describe, expect, it } from 'vitest';
import { MAX_LABEL_VALUE_LENGTH } from '@modelwatch/conventions';
import { escapeLabelValue, formatNumber, sanitizeLabelValue } from './label-values';

describe('sanitizeLabelValue', () => {
  it.each([
    ['keeps an ordinary value', 'gpt-4o-mini', 'gpt-4o-mini'],
    ['turns undefined into an empty value', undefined, ''],
    ['turns null into an empty value', null, ''],
    ['stringifies numbers', 429, '429'],
    ['replaces control characters with spaces', 'a\nb\tc\u0000d\u007f', 'a b c d '],
    ['replaces a lone high surrogate (invalid UTF-8) with U+FFFD', 'model\ud800x', 'model\ufffdx'],
    ['replaces a lone low surrogate with U+FFFD', '\udc00', '\ufffd'],
    ['keeps a valid surrogate pair', 'emoji 🤖', 'emoji 🤖'],
  ])('%s', (_, input, expected) => {
    expect(sanitizeLabelValue(input)).toBe(expected);
  });

  it('cuts a 10 kB value to the length cap', () => {
    const value = sanitizeLabelValue('x'.repeat(10_000));
    expect(value).toHaveLength(MAX_LABEL_VALUE_LENGTH);
  });

  it('does not leave half a surrogate pair when the cut falls inside one', () => {
    const value = sanitizeLabelValue('a'.repeat(MAX_LABEL_VALUE_LENGTH - 1) + '🤖🤖');
    expect(value.endsWith('\ufffd')).toBe(true);
    expect(value).toHaveLength(MAX_LABEL_VALUE_LENGTH);
  });

  it('returns an empty value when toString throws', () => {
    const hostile = { toString: () => { throw new Error('boom'); } };
    expect(sanitizeLabelValue(hostile)).toBe('');
  });
});

describe('escapeLabelValue', () => {
  it('escapes backslash, double quote and newline as the exposition formats require', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it.each([
    ['\\', '\\\\'],
    ['"', '\\"'],
    ['\n', '\\n'],
    ['model"', 'model\\"'],
    ['\nmodel', '\\nmodel'],
  ])('finds a lone %j wherever it sits', (value, escaped) => {
    expect(escapeLabelValue(value)).toBe(escaped);
  });

  it.each(['', 'gpt-4o', 'modèle-ü', 'tab\there', "it's/fine"])('returns %j as it is', (value) => {
    expect(escapeLabelValue(value)).toBe(value);
  });
});

describe('formatNumber', () => {
  it.each([
    [1, '1'],
    [0.25, '0.25'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ])('prints %s as %s', (value, text) => {
    expect(formatNumber(value)).toBe(text);
  });
});
