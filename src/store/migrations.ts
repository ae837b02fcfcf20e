export type DialectName = 'sqlite' | 'postgres';

/** The column types and table options that differ; everything else in the DDL is common SQL. */
interface Ddl {
  /** Text that is compared or sorted: byte order in both (SQLite's BINARY, PostgreSQL's "C"). */
  sorted: string;
  text: string;
  int: string;
  bigint: string;
  float: string;
  bool: string;
  no: string;
  serial: string;
  /** Table option for tables keyed by something other than a rowid. */
  keyed: string;
}

const DDL: Record<DialectName, Ddl> = {
  sqlite: {
    sorted: 'TEXT',
    text: 'TEXT',
    int: 'INTEGER',
    bigint: 'INTEGER',
    float: 'INTEGER',
    bool: 'INTEGER',
    no: '0',
    serial: 'INTEGER PRIMARY KEY',
    keyed: ' WITHOUT ROWID',
  },
  postgres: {
    sorted: 'text COLLATE "C"',
    text: 'text',
    int: 'integer',
    bigint: 'bigint',
    float: 'double precision',
    bool: 'boolean',
    no: 'false',
    serial: 'bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
    keyed: '',
  },
};

export interface Migration {
  version: number;
  name: string;
  /** The DDL, with the dialect's words filled in. */
  sql(t: Ddl, dialect: DialectName): string;
}

// Full-text search is where the two really differ: an FTS5 table beside the articles, or a tsvector column.
const articleSearch = (dialect: DialectName) =>
  dialect === 'sqlite'
    ? `CREATE VIRTUAL TABLE articles_fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');`
    : `ALTER TABLE articles ADD COLUMN search tsvector NOT NULL;
       CREATE INDEX articles_search ON articles USING gin (search);`;

const feedUrlOf = (dialect: DialectName) =>
  dialect === 'sqlite' ? `json_extract(data, '$.origin.feedUrl')` : `(data::jsonb -> 'origin' ->> 'feedUrl')`;

// Spaces: feeds stay global rows, a link says which space polls them. Feeds and channels from before
// belong to the operator; a subscription's guild or team id (raw, or with its platform prefix as some
// builds stored it) becomes a prefixed space id.
const spaces = (t: Ddl, dialect: DialectName) => `
  CREATE TABLE feed_links (
    feed_id ${t.sorted} NOT NULL,
    space ${t.sorted} NOT NULL,
    added_by ${t.text},
    added_at ${t.sorted} NOT NULL,
    fulltext ${t.text} NOT NULL DEFAULT 'auto' CHECK (fulltext IN ('auto', 'always', 'never')),
    PRIMARY KEY (feed_id, space)
  )${t.keyed};
  CREATE INDEX feed_links_space ON feed_links (space);
  INSERT INTO feed_links (feed_id, space, added_by, added_at) SELECT id, 'operator', added_by, added_at FROM feeds;
  ALTER TABLE articles ADD COLUMN feed_url ${t.sorted};
  UPDATE articles SET feed_url = ${feedUrlOf(dialect)} WHERE origin_path IS NULL;
  CREATE INDEX articles_feed_url ON articles (feed_url) WHERE feed_url IS NOT NULL;
  UPDATE subscriptions SET space = CASE
    WHEN space IS NULL OR origin = 'config' THEN 'operator'
    WHEN space LIKE 'discord:%' THEN 'discord:guild:' || substr(space, 9)
    WHEN space LIKE 'slack:%' THEN 'slack:team:' || substr(space, 7)
    WHEN channel LIKE 'discord:%' THEN 'discord:guild:' || space
    WHEN channel LIKE 'slack:%' THEN 'slack:team:' || space
    ELSE 'operator' END;
  ALTER TABLE subscriptions ADD COLUMN feeds ${t.text};`;

// Several replicas (PostgreSQL only): a channel row for every channel with deliveries, whatever
// inserts them; shared rate-limit slots; the last fire of each scheduled job.
const replicaTables = `
  INSERT INTO delivery_channels (channel) SELECT DISTINCT channel FROM deliveries;
  CREATE FUNCTION delivery_channel_rows() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO delivery_channels (channel) SELECT DISTINCT channel FROM added ON CONFLICT DO NOTHING;
    RETURN NULL;
  END $$;
  CREATE TRIGGER deliveries_channel_rows AFTER INSERT ON deliveries REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION delivery_channel_rows();
  CREATE TABLE rate_slots (key text COLLATE "C" PRIMARY KEY, next_at double precision NOT NULL);
  CREATE TABLE schedule_runs (
    key text COLLATE "C" PRIMARY KEY, last_fire text COLLATE "C" NOT NULL, ran_by text, ran_at text
  );
`;

/**
 * Numbered, append-only, the same numbers on both databases (1–7 are what the earlier per-database
 * stores applied, so their files and schemas upgrade in place). Never edit one that has shipped.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    name: 'articles',
    sql: (t, dialect) => `
      CREATE TABLE articles (
        num ${t.serial},
        id ${t.sorted} NOT NULL UNIQUE,
        key ${t.sorted} NOT NULL UNIQUE,
        title ${t.text} NOT NULL,
        sort_date ${t.sorted} NOT NULL,
        origin_path ${t.sorted},
        content_hash ${t.text} NOT NULL,
        data ${t.text} NOT NULL,
        first_seen_at ${t.sorted} NOT NULL,
        updated_at ${t.sorted} NOT NULL
      );
      CREATE INDEX articles_newest ON articles (sort_date DESC, num DESC);
      CREATE INDEX articles_origin_path ON articles (origin_path) WHERE origin_path IS NOT NULL;
      CREATE TABLE article_files (
        path ${t.sorted} PRIMARY KEY,
        mtime_ms ${t.float} NOT NULL,
        size ${t.bigint} NOT NULL,
        article_key ${t.text} NOT NULL
      )${t.keyed};
      ${articleSearch(dialect)}`,
  },
  {
    version: 2,
    name: 'deliveries',
    sql: (t) => `
      CREATE TABLE deliveries (
        article_id ${t.sorted} NOT NULL,
        channel ${t.sorted} NOT NULL,
        state ${t.text} NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
        attempts ${t.int} NOT NULL DEFAULT 0,
        message_id ${t.text},
        last_error ${t.text},
        not_before ${t.sorted},
        created_at ${t.sorted} NOT NULL,
        updated_at ${t.sorted} NOT NULL,
        PRIMARY KEY (article_id, channel)
      )${t.keyed};
      CREATE INDEX deliveries_due ON deliveries (state, created_at);
      CREATE INDEX deliveries_channel ON deliveries (channel, updated_at DESC);`,
  },
  {
    version: 3,
    name: 'meta',
    sql: (t) => `CREATE TABLE meta (key ${t.sorted} PRIMARY KEY, value ${t.text} NOT NULL)${t.keyed};`,
  },
  {
    version: 4,
    name: 'feeds',
    sql: (t) => `
      CREATE TABLE IF NOT EXISTS feeds (
        id ${t.sorted} NOT NULL UNIQUE,
        url ${t.sorted} PRIMARY KEY,
        title ${t.text},
        added_by ${t.text},
        added_at ${t.sorted} NOT NULL,
        etag ${t.text},
        last_modified ${t.text},
        last_polled_at ${t.text},
        next_poll_at ${t.sorted},
        failures ${t.int} NOT NULL DEFAULT 0,
        first_failure_at ${t.text},
        disabled ${t.bool} NOT NULL DEFAULT ${t.no},
        last_error ${t.text},
        polls ${t.int} NOT NULL DEFAULT 0
      )${t.keyed};
      CREATE INDEX IF NOT EXISTS feeds_due ON feeds (disabled, next_poll_at);
      CREATE TABLE IF NOT EXISTS feed_item_keys (
        key ${t.sorted} PRIMARY KEY,
        article_key ${t.text} NOT NULL,
        seen_at ${t.text} NOT NULL
      )${t.keyed};`,
  },
  {
    version: 5,
    name: 'subscriptions',
    sql: (t) => `
      CREATE TABLE subscriptions (
        channel ${t.sorted} PRIMARY KEY,
        space ${t.sorted},
        schedule ${t.text},
        timezone ${t.text},
        filter ${t.text} NOT NULL,
        digest ${t.int} NOT NULL DEFAULT 0,
        paused ${t.bool} NOT NULL DEFAULT ${t.no},
        origin ${t.text} NOT NULL CHECK (origin IN ('config', 'command')),
        created_by ${t.text},
        created_at ${t.text} NOT NULL
      )${t.keyed};
      CREATE INDEX subscriptions_space ON subscriptions (space);`,
  },
  {
    version: 6,
    name: 'article outbox',
    sql: (t) => `
      CREATE TABLE article_outbox (
        article_id ${t.sorted} PRIMARY KEY,
        status ${t.text} NOT NULL CHECK (status IN ('new', 'updated')),
        created_at ${t.sorted} NOT NULL
      )${t.keyed};`,
  },
  {
    version: 7,
    name: 'delivery claims',
    sql: (t, dialect) => `
      CREATE TABLE delivery_channels (
        channel ${t.sorted} PRIMARY KEY,
        claimed_by ${t.text},
        claim_until ${t.sorted}
      )${t.keyed};
      CREATE INDEX delivery_channels_owner ON delivery_channels (claimed_by) WHERE claimed_by IS NOT NULL;
      ${dialect === 'postgres' ? replicaTables : ''}`,
  },
  {
    version: 8,
    name: 'derived version',
    sql: (t) => `ALTER TABLE articles ADD COLUMN derived_version ${t.text} NOT NULL DEFAULT '';`,
  },
  { version: 9, name: 'spaces', sql: spaces },
  {
    version: 10,
    name: 'subscription presentation',
    sql: (t) => `ALTER TABLE subscriptions ADD COLUMN presentation ${t.text};`,
  },
  {
    // A rate lane is held by one request from its grant until it has left (PostgreSQL only).
    version: 11,
    name: 'rate lane holders',
    sql: (_t, dialect) =>
      dialect === 'postgres'
        ? 'ALTER TABLE rate_slots ADD COLUMN holder text COLLATE "C", ADD COLUMN held_until double precision;'
        : '',
  },
  {
    version: 13,
    name: 'full-text retries',
    sql: (t) => `
      CREATE TABLE fulltext_retries (
        article_key ${t.sorted} PRIMARY KEY,
        url ${t.text} NOT NULL,
        feed_hash ${t.text} NOT NULL,
        draft ${t.text} NOT NULL,
        attempts ${t.int} NOT NULL DEFAULT 0,
        state ${t.text} NOT NULL CHECK (state IN ('pending', 'gave_up')),
        next_at ${t.sorted} NOT NULL,
        reason ${t.text} NOT NULL,
        updated_at ${t.text} NOT NULL
      )${t.keyed};
      CREATE INDEX fulltext_retries_due ON fulltext_retries (state, next_at);`,
  },
];

/** A migration's DDL for one database. */
export function migrationSql(migration: Migration, dialect: DialectName): string {
  return migration.sql(DDL[dialect], dialect);
}

export const SCHEMA_VERSION_DDL =
  'CREATE TABLE IF NOT EXISTS schema_version ' +
  '(version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)';

/** What is not applied yet, in order. */
export function pending(all: Migration[], applied: Set<number>): Migration[] {
  return [...all].sort((a, b) => a.version - b.version).filter((migration) => !applied.has(migration.version));
}
