import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Numbered, append-only. Never edit one that has shipped: add the next number instead. */
export const coreMigrations: Migration[] = [
  {
    version: 1,
    name: 'articles',
    up(db) {
      db.exec(`
        CREATE TABLE articles (
          num INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          key TEXT NOT NULL UNIQUE,
          title TEXT NOT NULL,
          sort_date TEXT NOT NULL,
          origin_path TEXT,
          content_hash TEXT NOT NULL,
          data TEXT NOT NULL,
          first_seen_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX articles_newest ON articles (sort_date DESC, num DESC);
        CREATE INDEX articles_origin_path ON articles (origin_path) WHERE origin_path IS NOT NULL;
        CREATE TABLE article_files (
          path TEXT PRIMARY KEY,
          mtime_ms INTEGER NOT NULL,
          size INTEGER NOT NULL,
          article_key TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE VIRTUAL TABLE articles_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
      `);
    },
  },
  {
    version: 2,
    name: 'deliveries',
    up(db) {
      db.exec(`
        CREATE TABLE deliveries (
          article_id TEXT NOT NULL,
          channel TEXT NOT NULL,
          state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          message_id TEXT,
          last_error TEXT,
          not_before TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (article_id, channel)
        ) WITHOUT ROWID;
        CREATE INDEX deliveries_due ON deliveries (state, created_at);
        CREATE INDEX deliveries_channel ON deliveries (channel, updated_at DESC);
      `);
    },
  },
  {
    version: 3,
    name: 'meta',
    up(db) {
      db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
    },
  },
];

/** Articles whose fan-out is not done yet; written in the same transaction as the article. */
export const outboxMigration: Migration = {
  version: 6,
  name: 'article outbox',
  up(db) {
    db.exec(`
      CREATE TABLE article_outbox (
        article_id TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('new', 'updated')),
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};

/**
 * 7: who works which channel. SQLite serves one process, so this only records the claims the
 * dispatcher makes on every store; numbered after the article outbox (6).
 */
export const claimsMigration: Migration = {
  version: 7,
  name: 'delivery claims',
  up(db) {
    db.exec(`
      CREATE TABLE delivery_channels (
        channel TEXT PRIMARY KEY,
        claimed_by TEXT,
        claim_until TEXT
      ) WITHOUT ROWID;
      CREATE INDEX delivery_channels_owner ON delivery_channels (claimed_by) WHERE claimed_by IS NOT NULL;
    `);
  },
};

/** Apply what is missing, each migration in its own transaction, recorded in schema_version. */
export function migrate(db: Database, migrations: Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set((db.prepare('SELECT version FROM schema_version').all() as { version: number }[]).map((row) => row.version));
  const ran: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      migration.up(db);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, new Date().toISOString());
    })();
    ran.push(migration.version);
  }
  return ran;
}
