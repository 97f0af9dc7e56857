import { describe, expect, it } from 'vitest';
import { isSameModel, servedModelOf } from './served-model';

describe('isSameModel', () => {
  it.each([
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'],
    ['claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet-20241022'],
    ['gemini-2.5-flash', 'gemini-2.5-flash-001'],
    ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['openai/gpt-4o', 'gpt-4o-2024-08-06'],
    ['claude-3-5-sonnet', 'claude-3-5-sonnet@20240620'],
  ])('%s answered by %s is the same model', (requested, served) => {
    expect(isSameModel(requested, served)).toBe(true);
  });

  it.each([
    ['gpt-4o', 'gpt-4o-mini'],
    ['gpt-4o', 'gpt-4o-mini-2024-07-18'],
    ['claude-sonnet-4', 'claude-3-5-haiku-20241022'],
    ['auto', 'gpt-4o-mini'],
    ['gpt-4', 'gpt-4o'],
  ])('%s answered by %s is a substitution', (requested, served) => {
    expect(isSameModel(requested, served)).toBe(false);
  });
});

describe('servedModelOf', () => {
  it('reads the model each provider’s responses and stream items name', () => {
    expect(servedModelOf({ id: 'chatcmpl-1', model: 'gpt-4o-mini-2024-07-18' })).toBe('gpt-4o-mini-2024-07-18');
    expect(servedModelOf({ type: 'message_start', message: { model: 'claude-3-5-haiku-20241022' } })).toBe('claude-3-5-haiku-20241022');
    expect(servedModelOf({ type: 'response.completed', response: { model: 'gpt-4o' } })).toBe('gpt-4o');
    expect(servedModelOf({ candidates: [], modelVersion: 'gemini-2.5-flash' })).toBe('gemini-2.5-flash');
    expect(servedModelOf({ finishReason: 'stop', response: { id: 'r1', modelId: 'gpt-4o-mini-2024-07-18' } })).toBe('gpt-4o-mini-2024-07-18');
    expect(servedModelOf({ type: 'content_block_delta' })).toBeUndefined();
    expect(servedModelOf({ model: 42 })).toBeUndefined();
    expect(servedModelOf('text')).toBeUndefined();
  });
});
