import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store';

describe('memoryStore', () => {
  it('expires entries after their TTL', async () => {
    const store = memoryStore();
    await store.set('a', '"x"', 1);
    expect(await store.get('a')).toBe('"x"');
    await delay(1100);
    expect(await store.get('a')).toBeUndefined();
  });

  it('drops the least recently used entry past its bound', async () => {
    const store = memoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60);
    await store.set('b', '2', 60);
    await store.get('a');
    await store.set('c', '3', 60);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual(['1', undefined, '3']);
  });
});
