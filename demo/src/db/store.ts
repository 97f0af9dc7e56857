/** A customer of the demo shop, seeded at start. */
export interface User {
  id: string;
  name: string;
  plan: 'free' | 'plus';
}

/** What the service keeps of one chat turn: metadata only, never the prompt or the answer. */
export interface ConversationRecord {
  id: string;
  userId: string | undefined;
  provider: string;
  model: string;
  tier: string;
  topic: string;
  streamed: boolean;
  cached: boolean;
  failedOver: boolean;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  createdAt: Date;
}

export interface TopicCount {
  topic: string;
  count: number;
}

/**
 * The demo's database, small on purpose: one implementation per engine
 * (SQLite by default, PostgreSQL with `DATABASE_URL`) behind the same queries.
 * Each method is one statement, so each is one `db_operation_name` in metrics.
 */
export interface DemoStore {
  /** `db_system_name`: `sqlite` or `postgresql` (OTel DB semconv values). */
  readonly system: 'sqlite' | 'postgresql';
  /** Creates or upgrades the schema and seeds the users; safe to run on every start. */
  migrate(): Promise<void>;
  /** SELECT one user. */
  findUser(id: string): Promise<User | undefined>;
  /** INSERT one conversation. */
  recordConversation(record: ConversationRecord): Promise<void>;
  /** SELECT the user's most frequent topics among their recent conversations. */
  topicHistory(userId: string, limit: number): Promise<TopicCount[]>;
  /** SELECT 1: for `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
