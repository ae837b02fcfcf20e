import type BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type PostgresPool, type SqliteDatabase } from 'kysely';
import type pg from 'pg';
import { isNotExecuted } from './postgres-errors.js';
import type { StoreSchema } from './schema.js';

export type Db = Kysely<StoreSchema>;

// better-sqlite3 binds no booleans; the PostgreSQL columns are booleans. 0/1 is what SQLite stores.
const sqliteValue = (value: unknown): unknown => (typeof value === 'boolean' ? Number(value) : value);

/**
 * Kysely over one better-sqlite3 handle. Statements are prepared once per SQL text: the builder
 * produces the same text for the same query shape, and preparing is most of a small query's cost.
 */
export function sqliteKysely(handle: BetterSqlite3.Database): Db {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  const database: SqliteDatabase = {
    close: () => {
      if (handle.open) handle.close();
    },
    prepare(text) {
      let statement = prepared.get(text);
      if (!statement) {
        statement = handle.prepare(text);
        if (prepared.size < 1_000) prepared.set(text, statement);
      }
      const bound = statement;
      return {
        reader: bound.reader,
        all: (params) => bound.all(...params.map(sqliteValue)),
        run: (params) => bound.run(...params.map(sqliteValue)),
        iterate: (params) => bound.iterate(...params.map(sqliteValue)),
      };
    },
  };
  return new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) });
}

// PostgreSQL text cannot hold NUL; SQLite can. Dropping it (in keys and lookups alike) keeps odd
// input storable, and article JSON keeps it anyway (JSON.stringify writes it as an escape).
const withoutNul = (value: unknown): unknown =>
  typeof value === 'string' ? value.replaceAll('\u0000', '') : Array.isArray(value) ? value.map(withoutNul) : value;

const BROKEN = /Connection terminated|ECONNRESET/i;

/**
 * Kysely over a pg pool. A checked-out client whose server goes away emits 'error'; unheard, that
 * would crash the process. Such a client, or one whose statement failed with the connection, goes
 * back destroyed so the pool opens a fresh one.
 */
export function postgresKysely(pool: pg.Pool): Db {
  const wrapped: PostgresPool = {
    async connect() {
      const client = await pool.connect();
      let lost: Error | undefined;
      const onLost = (err: Error) => {
        lost = err;
      };
      client.on('error', onLost);
      return {
        async query(text: string, params: readonly unknown[]) {
          try {
            return await client.query(text, params.map(withoutNul));
          } catch (err) {
            if (isNotExecuted(err) || BROKEN.test(String((err as Error).message))) lost ??= err as Error;
            throw err;
          }
        },
        release(destroy?: boolean) {
          client.removeListener('error', onLost);
          client.release(lost ?? destroy);
        },
      } as never;
    },
    end: () => pool.end(),
  };
  return new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool: wrapped }) });
}

/**
 * `work` inside one transaction on one connection. SQLite passes BEGIN IMMEDIATE: the write lock
 * is taken first, so busy_timeout applies instead of a lock upgrade failing half-way.
 */
export async function inTransaction<T>(db: Db, begin: string, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (connection) => {
    await sql.raw(begin).execute(connection);
    try {
      const result = await work(connection);
      await sql.raw('COMMIT').execute(connection);
      return result;
    } catch (err) {
      await sql
        .raw('ROLLBACK')
        .execute(connection)
        .catch(() => undefined);
      throw err;
    }
  });
}
