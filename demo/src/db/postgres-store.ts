import pg from 'pg';
import { SEED_USERS } from './seed';
import type { ConversationRecord, DemoStore, TopicCount, User } from './store';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     plan TEXT NOT NULL,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now()
   );
   CREATE TABLE conversations (
     id UUID PRIMARY KEY,
     user_id TEXT,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     tier TEXT NOT NULL,
     topic TEXT NOT NULL,
     streamed BOOLEAN NOT NULL,
     cached BOOLEAN NOT NULL,
     failed_over BOOLEAN NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     latency_ms INTEGER NOT NULL,
     created_at TIMESTAMPTZ NOT NULL
   );
   CREATE INDEX conversations_by_user ON conversations (user_id, created_at);`,
];

/** Any number, as long as every instance of the demo uses the same one: serialises concurrent migrations. */
const MIGRATION_LOCK_ID = 7_460_312;

export interface PostgresStoreOptions {
  connectionString: string;
  /** Pool size. @defaultValue 10 */
  maxConnections?: number;
  /** Told about errors of idle pooled connections (a restarted server), which would otherwise crash the process. */
  onError?: (error: Error) => void;
}

/** PostgreSQL through a `pg` pool, for `DATABASE_URL`. */
export function postgresStore(options: PostgresStoreOptions): DemoStore {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10, connectionTimeoutMillis: 5000 });
  pool.on('error', (error) => options.onError?.(error));

  return {
    system: 'postgresql',
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_ID]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
        const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        const applied = new Set(rows.map((row) => row.version));
        for (const [index, sql] of MIGRATIONS.entries()) {
          if (applied.has(index + 1)) continue;
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
        }
        await client.query(
          `INSERT INTO users (id, name, plan) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (id) DO NOTHING`,
          [SEED_USERS.map((u) => u.id), SEED_USERS.map((u) => u.name), SEED_USERS.map((u) => u.plan)],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async findUser(id) {
      const { rows } = await pool.query<User>('SELECT id, name, plan FROM users WHERE id = $1', [id]);
      return rows[0];
    },
    async recordConversation(r: ConversationRecord) {
      await pool.query(
        `INSERT INTO conversations (id, user_id, provider, model, tier, topic, streamed, cached, failed_over, input_tokens, output_tokens, latency_ms, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [r.id, r.userId ?? null, r.provider, r.model, r.tier, r.topic, r.streamed, r.cached, r.failedOver, r.inputTokens, r.outputTokens, Math.round(r.latencyMs), r.createdAt],
      );
    },
    async topicHistory(userId, limit) {
      const { rows } = await pool.query<{ topic: string; count: string }>(
        `SELECT topic, COUNT(*) AS count FROM (
           SELECT topic FROM conversations WHERE user_id = $1 ORDER BY created_at DESC LIMIT 200
         ) recent GROUP BY topic ORDER BY count DESC, topic LIMIT $2`,
        [userId, limit],
      );
      return rows.map((row): TopicCount => ({ topic: row.topic, count: Number(row.count) }));
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
