import type { PgDb } from './postgres-db.js';

export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

// Text that is compared or sorted uses the "C" collation: byte order, like SQLite's BINARY, so
// ISO timestamps, ids and path prefixes order the same whatever locale the database was created with.
// Numbered like the SQLite migrations. Append-only: never edit one that has shipped, add the next number.
export const postgresMigrations: PgMigration[] = [
  {
    version: 1,
    name: 'articles',
    sql: `
      CREATE TABLE articles (
        num bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text COLLATE "C" NOT NULL UNIQUE,
        key text COLLATE "C" NOT NULL UNIQUE,
        title text NOT NULL,
        sort_date text COLLATE "C" NOT NULL,
        origin_path text COLLATE "C",
        content_hash text NOT NULL,
        data text NOT NULL,
        search tsvector NOT NULL,
        first_seen_at text COLLATE "C" NOT NULL,
        updated_at text COLLATE "C" NOT NULL
      );
      CREATE INDEX articles_newest ON articles (sort_date DESC, num DESC);
      CREATE INDEX articles_origin_path ON articles (origin_path) WHERE origin_path IS NOT NULL;
      CREATE INDEX articles_search ON articles USING gin (search);
      CREATE TABLE article_files (
        path text COLLATE "C" PRIMARY KEY,
        mtime_ms double precision NOT NULL,
        size bigint NOT NULL,
        article_key text NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'deliveries',
    sql: `
      CREATE TABLE deliveries (
        article_id text COLLATE "C" NOT NULL,
        channel text COLLATE "C" NOT NULL,
        state text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        message_id text,
        last_error text,
        not_before text COLLATE "C",
        created_at text COLLATE "C" NOT NULL,
        updated_at text COLLATE "C" NOT NULL,
        PRIMARY KEY (article_id, channel)
      );
      CREATE INDEX deliveries_due ON deliveries (state, created_at);
      CREATE INDEX deliveries_channel ON deliveries (channel, updated_at DESC);
    `,
  },
  {
    version: 3,
    name: 'meta',
    sql: `CREATE TABLE meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);`,
  },
  {
    version: 4,
    name: 'feeds',
    sql: `
      CREATE TABLE feeds (
        id text COLLATE "C" NOT NULL UNIQUE,
        url text COLLATE "C" PRIMARY KEY,
        title text,
        added_by text,
        added_at text COLLATE "C" NOT NULL,
        etag text,
        last_modified text,
        last_polled_at text,
        next_poll_at text COLLATE "C",
        failures integer NOT NULL DEFAULT 0,
        first_failure_at text,
        disabled boolean NOT NULL DEFAULT false,
        last_error text,
        polls integer NOT NULL DEFAULT 0
      );
      CREATE INDEX feeds_due ON feeds (disabled, next_poll_at);
      CREATE TABLE feed_item_keys (
        key text COLLATE "C" PRIMARY KEY,
        article_key text NOT NULL,
        seen_at text NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'subscriptions',
    sql: `
      CREATE TABLE subscriptions (
        channel text COLLATE "C" PRIMARY KEY,
        space text COLLATE "C",
        schedule text,
        timezone text,
        filter text NOT NULL,
        digest integer NOT NULL DEFAULT 0,
        paused boolean NOT NULL DEFAULT false,
        origin text NOT NULL CHECK (origin IN ('config', 'command')),
        created_by text,
        created_at text NOT NULL
      );
      CREATE INDEX subscriptions_space ON subscriptions (space);
    `,
  },
  {
    version: 6,
    name: 'article outbox',
    sql: `
      CREATE TABLE article_outbox (
        article_id text COLLATE "C" PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('new', 'updated')),
        created_at text COLLATE "C" NOT NULL
      );
    `,
  },
  // 7 lets several replicas share the work: a claim per channel
  // (a row per channel that ever had a delivery, kept by a trigger whatever inserts the delivery),
  // shared rate-limit slots, and the last fire of each scheduled job.
  {
    version: 7,
    name: 'replicas',
    sql: `
      CREATE TABLE delivery_channels (
        channel text COLLATE "C" PRIMARY KEY,
        claimed_by text,
        claim_until text COLLATE "C"
      );
      INSERT INTO delivery_channels (channel) SELECT DISTINCT channel FROM deliveries;
      CREATE INDEX delivery_channels_owner ON delivery_channels (claimed_by) WHERE claimed_by IS NOT NULL;
      CREATE FUNCTION delivery_channel_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO delivery_channels (channel) SELECT DISTINCT channel FROM added ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER deliveries_channel_rows AFTER INSERT ON deliveries REFERENCING NEW TABLE AS added
        FOR EACH STATEMENT EXECUTE FUNCTION delivery_channel_rows();
      CREATE TABLE rate_slots (
        key text COLLATE "C" PRIMARY KEY,
        next_at double precision NOT NULL
      );
      CREATE TABLE schedule_runs (
        key text COLLATE "C" PRIMARY KEY,
        last_fire text COLLATE "C" NOT NULL,
        ran_by text,
        ran_at text
      );
    `,
  },
];

/**
 * Apply what is missing in one transaction, recorded in schema_version. Replicas starting together
 * wait on an advisory lock (per schema), so exactly one of them migrates.
 */
export async function migratePostgres(db: PgDb, migrations: PgMigration[] = postgresMigrations): Promise<number[]> {
  return db.transaction(async (query) => {
    await query(`SELECT pg_advisory_xact_lock(hashtext('newsdesk.migrate:' || current_schema()))`);
    await query(`CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)`);
    const applied = new Set((await query<{ version: number }>('SELECT version FROM schema_version')).map((row) => row.version));
    const ran: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await query(migration.sql);
      await query('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, new Date().toISOString()]);
      ran.push(migration.version);
    }
    return ran;
  });
}
