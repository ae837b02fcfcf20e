import pg from 'pg';
import { NewsdeskError } from '../domain/errors.js';
import type { FeedStore } from '../ingest/feeds/feed-store.js';
import type { Logger } from '../logger.js';
import { createPostgresArticleStore } from './postgres-articles.js';
import { createPostgresLockStore, createPostgresRateSlotStore } from './postgres-coordination.js';
import { createPgDb, type PgDb } from './postgres-db.js';
import { createPostgresDeliveryStore } from './postgres-deliveries.js';
import { describeDatabaseUrl, postgresReason } from './postgres-errors.js';
import { createPostgresFeedStore } from './postgres-feeds.js';
import { migratePostgres, postgresMigrations, type PgMigration } from './postgres-migrations.js';
import { createPostgresFileIndexStore, createPostgresMetaStore } from './postgres-small-stores.js';
import { createPostgresSubscriptionStore } from './postgres-subscriptions.js';
import type { Stores } from './ports.js';

export interface PostgresStores extends Stores {
  feeds: FeedStore;
  /** The connection pool, for work beside the stores (claims, advisory locks) and for tests. */
  pool: pg.Pool;
  db: PgDb;
}

export interface PostgresOptions {
  /** Keep everything in this schema (created if missing) instead of the user's default search_path. */
  schema?: string;
  /** Connections per process. */
  poolSize?: number;
  /** How long to wait for a connection, and to keep retrying while the server is away or restarting. */
  connectTimeoutMs?: number;
  reconnectMs?: number;
  /** Where to report a pooled connection the server dropped while idle (a restart, a failover). */
  log?: Logger;
  extraMigrations?: PgMigration[];
}

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Connect, migrate, and build the stores over one pool. */
export async function openPostgresStores(url: string, options: PostgresOptions = {}): Promise<PostgresStores> {
  const where = describeDatabaseUrl(url);
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new NewsdeskError('config', `database schema "${options.schema}" must be lower-case letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: 'newsdesk',
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // Without a listener, an idle connection killed by the server (restart, failover) would crash the
  // process. The pool drops that connection and opens a new one on the next query.
  pool.on('error', (err) => options.log?.warn({ err, database: where }, 'idle PostgreSQL connection lost; it will be replaced'));
  const db = createPgDb(pool, { reconnectMs: options.reconnectMs ?? options.connectTimeoutMs ?? 5_000 });
  try {
    if (options.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    await migratePostgres(db, [...postgresMigrations, ...(options.extraMigrations ?? [])]);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const cause = err instanceof NewsdeskError && err.cause ? err.cause : err;
    throw new NewsdeskError('storage', `cannot open database ${where}: ${postgresReason(cause)}`, { code: (cause as { code?: string }).code }, { cause });
  }
  let closed = false;
  return {
    pool,
    db,
    articles: createPostgresArticleStore(db),
    deliveries: createPostgresDeliveryStore(db),
    meta: createPostgresMetaStore(db),
    files: createPostgresFileIndexStore(db),
    subscriptions: createPostgresSubscriptionStore(db),
    feeds: createPostgresFeedStore(db),
    locks: createPostgresLockStore(pool, options.log),
    rateSlots: createPostgresRateSlotStore(db),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
