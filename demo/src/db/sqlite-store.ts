import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SEED_USERS } from './seed';
import type { ConversationRecord, DemoStore, TopicCount, User } from './store';

/** Schema versions, applied in order; each runs once (recorded in `schema_migrations`). */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     plan TEXT NOT NULL,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     user_id TEXT,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     tier TEXT NOT NULL,
     topic TEXT NOT NULL,
     streamed INTEGER NOT NULL,
     cached INTEGER NOT NULL,
     failed_over INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     latency_ms INTEGER NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE INDEX conversations_by_user ON conversations (user_id, created_at);`,
];

/**
 * SQLite in a file under `dataDir` (or `:memory:`), through better-sqlite3.
 * Its calls are synchronous and fast; they are wrapped in promises to share the
 * {@link DemoStore} interface with PostgreSQL.
 */
export function sqliteStore(dataDir: string | ':memory:'): DemoStore {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'demo.sqlite');
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 2000');

  let statements: ReturnType<typeof prepare> | undefined;
  const ready = () => (statements ??= prepare(db));

  return {
    system: 'sqlite',
    async migrate() {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
      db.transaction(() => {
        MIGRATIONS.forEach((sql, index) => {
          const version = index + 1;
          if (applied.has(version)) return;
          db.exec(sql);
          db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString());
        });
        const seed = db.prepare('INSERT OR IGNORE INTO users (id, name, plan) VALUES (?, ?, ?)');
        for (const user of SEED_USERS) seed.run(user.id, user.name, user.plan);
      })();
    },
    async findUser(id) {
      return ready().findUser.get(id) as User | undefined;
    },
    async recordConversation(r: ConversationRecord) {
      ready().insertConversation.run(
        r.id,
        r.userId ?? null,
        r.provider,
        r.model,
        r.tier,
        r.topic,
        Number(r.streamed),
        Number(r.cached),
        Number(r.failedOver),
        r.inputTokens,
        r.outputTokens,
        Math.round(r.latencyMs),
        r.createdAt.toISOString(),
      );
    },
    async topicHistory(userId, limit) {
      return ready().topicHistory.all(userId, limit) as TopicCount[];
    },
    async ping() {
      db.prepare('SELECT 1').get();
    },
    async close() {
      if (db.open) db.close();
    },
  };
}

function prepare(db: Database.Database) {
  return {
    findUser: db.prepare('SELECT id, name, plan FROM users WHERE id = ?'),
    insertConversation: db.prepare(
      `INSERT INTO conversations (id, user_id, provider, model, tier, topic, streamed, cached, failed_over, input_tokens, output_tokens, latency_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The last 200 conversations are the user's "recent history".
    topicHistory: db.prepare(
      `SELECT topic, COUNT(*) AS count FROM (
         SELECT topic FROM conversations WHERE user_id = ? ORDER BY created_at DESC LIMIT 200
       ) GROUP BY topic ORDER BY count DESC, topic LIMIT ?`,
    ),
  };
}
