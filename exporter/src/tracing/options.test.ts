import { describe, expect, it } from 'vitest';
import { contentAttribute, TRUNCATION_MARKER } from './content';
import { resolveTracingOptions } from './options';

describe('resolveTracingOptions', () => {
  const defaults = { tracerProvider: undefined, captureContent: false, httpServerSpans: true, emitLegacyGenAiSystem: false };

  it.each([
    ['unset', undefined, defaults],
    ['true', true, defaults],
    ['{}', {}, defaults],
    ['false', false, undefined],
    ['every option', { captureContent: true, httpServerSpans: false, emitLegacyGenAiSystem: true }, { ...defaults, captureContent: true, httpServerSpans: false, emitLegacyGenAiSystem: true }],
  ])('%s', (_, option, resolved) => {
    expect(resolveTracingOptions(option, {})).toEqual(resolved);
  });

  it.each([
    [' true ', true],
    ['True', true],
    ['false', false],
    ['1', false],
    ['', false],
  ])('captureContent from OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=%j is %s, and the option wins over it', (value, captured) => {
    const env = { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: value };
    expect(resolveTracingOptions(undefined, env)?.captureContent).toBe(captured);
    expect(resolveTracingOptions({ captureContent: !captured }, env)?.captureContent).toBe(!captured);
  });

  it('does not read OTEL_SEMCONV_STABILITY_OPT_IN: the latest GenAI names are the default already', () => {
    expect(resolveTracingOptions(undefined, { OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental' })).toEqual(defaults);
    expect(resolveTracingOptions(undefined, { OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' })).toEqual(defaults);
  });
});

describe('contentAttribute', () => {
  it('keeps a string as given and serialises anything else as JSON', () => {
    expect(contentAttribute('[{"role":"user"}]')).toBe('[{"role":"user"}]');
    expect(contentAttribute([{ role: 'user', parts: [] }])).toBe('[{"role":"user","parts":[]}]');
  });

  it('gives nothing for values JSON cannot hold', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(contentAttribute(cyclic)).toBeUndefined();
    expect(contentAttribute({ tokens: 10n })).toBeUndefined();
    expect(contentAttribute(() => 'x')).toBeUndefined();
  });

  it('cuts at the cap with a marker, never inside a surrogate pair', () => {
    expect(contentAttribute('a'.repeat(20), 20)).toBe('a'.repeat(20));
    expect(contentAttribute('a'.repeat(30), 20)).toBe('a'.repeat(20 - TRUNCATION_MARKER.length) + TRUNCATION_MARKER);
    const cut = contentAttribute('a'.repeat(7) + '😀'.repeat(10), 20)!;
    expect(cut.length).toBeLessThanOrEqual(20);
    expect(cut.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(cut.replace(TRUNCATION_MARKER, '')).toBe('aaaaaaa');
  });
});
