import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { SEED_USERS } from './seed';
import type { ConversationRecord, DemoStore } from './store';

/** What every {@link DemoStore} must do; run against SQLite and PostgreSQL. */
export function storeContract(open: () => DemoStore | Promise<DemoStore>): void {
  const conversation = (userId: string, topic: string, minutesAgo: number): ConversationRecord => ({
    id: randomUUID(),
    userId,
    provider: 'openai',
    model: 'gpt-4o-mini',
    tier: 'fast',
    topic,
    streamed: false,
    cached: false,
    failedOver: false,
    inputTokens: 1300,
    outputTokens: 80,
    latencyMs: 812.4,
    createdAt: new Date(Date.now() - minutesAgo * 60_000),
  });

  it('migrates idempotently and seeds the users once', async () => {
    const store = await open();
    try {
      await store.migrate();
      await store.migrate();
      expect(await store.findUser(SEED_USERS[0]!.id)).toEqual(SEED_USERS[0]);
      expect(await store.findUser('user-999')).toBeUndefined();
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('records conversations and ranks a user’s topics by frequency', async () => {
    const store = await open();
    try {
      await store.migrate();
      const user = SEED_USERS[1]!.id;
      for (const [topic, minutesAgo] of [['returns', 1], ['shipping', 2], ['returns', 3], ['account', 4], ['returns', 5], ['shipping', 6]] as const) {
        await store.recordConversation(conversation(user, topic, minutesAgo));
      }
      await store.recordConversation(conversation(SEED_USERS[2]!.id, 'warranty', 1));
      await store.recordConversation({ ...conversation(user, 'general', 1), userId: undefined });
      expect(await store.topicHistory(user, 2)).toEqual([
        { topic: 'returns', count: 3 },
        { topic: 'shipping', count: 2 },
      ]);
      expect(await store.topicHistory('user-100', 3)).toEqual([]);
    } finally {
      await store.close();
    }
  });
}
