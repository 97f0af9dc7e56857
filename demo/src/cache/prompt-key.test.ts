import { describe, expect, it } from 'vitest';
import { promptKey } from './prompt-key';

describe('promptKey', () => {
  it('ignores case, spacing and trailing punctuation', () => {
    expect(promptKey('  When will my   order ship?? ')).toBe(promptKey('when will my order ship'));
  });

  it('tells different questions apart and never contains the prompt', () => {
    expect(promptKey('How do I return an item?')).not.toBe(promptKey('How do I return a tent?'));
    expect(promptKey('secret question')).not.toContain('secret');
  });
});
