import pg from 'pg';
import { NewsdeskError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { buildStores, guarded } from './build-stores.js';
import { postgresKysely, type Db } from './connections.js';
import { createPostgresLockStore, createPostgresRateSlotStore } from './postgres-coordination.js';
import { createPostgresDialect } from './postgres-dialect.js';
import { describeDatabaseUrl, isNotExecuted, postgresReason } from './postgres-errors.js';
import { migrationSql, migrations, pending, SCHEMA_VERSION_DDL, type Migration } from './migrations.js';
import type { Stores } from './ports.js';

export interface PostgresStores extends Stores {
  /** The connection pool, for work beside the stores (advisory locks) and for tests. */
  pool: pg.Pool;
  kysely: Db;
  /** One statement on a pooled connection (tests and tools). */
  db: { query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]> };
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
  extraMigrations?: Migration[];
}

export function isPostgresUrl(databaseUrl: string): boolean {
  return /^postgres(ql)?:\/\//.test(databaseUrl);
}

/** Connections for rate lanes: as many as the limiter sends statements at once (shared-rate-limiter.ts). */
const RATE_POOL_SIZE = 5;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Apply what is missing in one transaction, recorded in schema_version. Replicas starting together
 * wait on an advisory lock (per schema), so exactly one of them migrates.
 */
async function migrate(pool: pg.Pool, list: Migration[], retryMs: number): Promise<void> {
  const deadline = Date.now() + retryMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('newsdesk.migrate:' || current_schema()))`);
      await client.query(SCHEMA_VERSION_DDL);
      const applied = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows.map((r) => r.version),
      );
      for (const migration of pending(list, applied)) {
        await client.query(migrationSql(migration, 'postgres'));
        await client.query('INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          new Date().toISOString(),
        ]);
      }
      await client.query('COMMIT');
      client.release();
      return;
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      client?.release(true);
      if (!isNotExecuted(err) || Date.now() + delay > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Connect, migrate, and build the stores over one pool. */
export async function openPostgresStores(url: string, options: PostgresOptions = {}): Promise<PostgresStores> {
  const where = describeDatabaseUrl(url);
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new NewsdeskError('config', `database schema "${options.schema}" must be lower-case letters, digits and _`);
  }
  const openPool = (max: number, name: string) => {
    const opened = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: name,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // Without a listener, an idle connection killed by the server (restart, failover) would crash the
    // process. The pool drops that connection and opens a new one on the next query.
    opened.on('error', (err) =>
      options.log?.warn({ err, database: where }, 'idle PostgreSQL connection lost; it will be replaced'),
    );
    return opened;
  };
  const pool = openPool(options.poolSize ?? 10, 'newsdesk');
  const retryMs = options.reconnectMs ?? options.connectTimeoutMs ?? 5_000;
  try {
    if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    await migrate(pool, [...migrations, ...(options.extraMigrations ?? [])], retryMs);
  } catch (err) {
    await pool.end().catch(() => undefined);
    const code = (err as { code?: string }).code;
    throw new NewsdeskError(
      'storage',
      `cannot open database ${where} (DATABASE_URL): ${postgresReason(err)}`,
      { code },
      { cause: err },
    );
  }
  const dialect = createPostgresDialect({ retryMs });
  const kysely = postgresKysely(pool);
  // Rate lanes on connections of their own: a lane's slot counts from the moment its statement runs,
  // so queueing behind a fan-out's bookkeeping (64 channels marked at once) would delay every post.
  const rateKysely = postgresKysely(openPool(RATE_POOL_SIZE, 'newsdesk-rate'));
  let closed = false;
  return {
    pool,
    kysely,
    db: guarded(
      { query: async (text: string, params?: unknown[]) => (await pool.query(text, params)).rows },
      dialect,
    ) as PostgresStores['db'],
    ...buildStores(kysely, dialect),
    locks: createPostgresLockStore(pool, options.log),
    rateSlots: guarded(createPostgresRateSlotStore(rateKysely), dialect),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([kysely.destroy(), rateKysely.destroy()]);
    },
  };
}
