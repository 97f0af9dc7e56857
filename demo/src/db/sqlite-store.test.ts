import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from './sqlite-store';
import { storeContract } from './store-contract';

describe('sqliteStore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modelwatch-sqlite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe('in memory', () => storeContract(() => sqliteStore(':memory:')));

  it('keeps its data in DATA_DIR across restarts', async () => {
    const first = sqliteStore(join(dir, 'nested'));
    await first.migrate();
    await first.recordConversation({
      id: 'c1',
      userId: 'user-001',
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      tier: 'fast',
      topic: 'rentals',
      streamed: true,
      cached: false,
      failedOver: true,
      inputTokens: 10,
      outputTokens: 5,
      latencyMs: 3,
      createdAt: new Date(),
    });
    await first.close();
    const second = sqliteStore(join(dir, 'nested'));
    await second.migrate();
    expect(await second.topicHistory('user-001', 5)).toEqual([{ topic: 'rentals', count: 1 }]);
    await second.close();
  });
});
