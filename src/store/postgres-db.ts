import type pg from 'pg';
import { isNotExecuted, storageError } from './postgres-errors.js';

/** Runs one statement; rows come back as plain objects. */
export type PgQuery = <R = Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<R[]>;

/** The small surface the PostgreSQL stores use: statements, transactions, and error mapping. */
export interface PgDb {
  query: PgQuery;
  /** `work` runs inside BEGIN … COMMIT on one connection; it may run twice if the first try never took effect. */
  transaction<T>(work: (query: PgQuery) => Promise<T>): Promise<T>;
  /** Run `work`; any failure becomes a `storage` error starting with `what`. */
  guard<T>(what: string, work: () => Promise<T>): Promise<T>;
}

export interface PgDbOptions {
  /** How long to keep retrying while the server is unreachable or restarting. */
  reconnectMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// PostgreSQL text cannot hold NUL; SQLite can. Dropping it (in keys and lookups alike) keeps odd
// input storable, and article JSON keeps it anyway (JSON.stringify writes it as an escape).
const withoutNul = (value: unknown): unknown =>
  typeof value === 'string' ? (value.includes('\u0000') ? value.replaceAll('\u0000', '') : value) : Array.isArray(value) ? value.map(withoutNul) : value;

function clean(params: unknown[] | undefined): unknown[] | undefined {
  return params?.map(withoutNul);
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createPgDb(pool: pg.Pool, options: PgDbOptions = {}): PgDb {
  const reconnectMs = options.reconnectMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;

  /** Retry while the failure certainly did not apply anything (the server is away or restarting). */
  async function retrying<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + reconnectMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
      try {
        return await attempt();
      } catch (err) {
        if (!isNotExecuted(err) || Date.now() + delay > deadline) throw err;
        await sleep(delay);
      }
    }
  }

  async function onClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A checked-out client whose server goes away between statements emits 'error'; unheard, that
    // would crash the process. The next statement on it then fails and is retried on a new one.
    let lost: Error | undefined;
    const onLost = (err: Error) => {
      lost = err;
    };
    client.on('error', onLost);
    try {
      const result = await work(client);
      client.removeListener('error', onLost);
      client.release(lost);
      return result;
    } catch (err) {
      client.removeListener('error', onLost);
      // A broken connection goes back destroyed, so the pool opens a fresh one next time.
      const broken = lost ?? (isNotExecuted(err) || /Connection terminated|ECONNRESET/i.test(String((err as Error).message)) ? (err as Error) : undefined);
      client.release(broken);
      throw err;
    }
  }

  const query: PgQuery = async <R>(sql: string, params?: unknown[]) => {
    try {
      return await retrying(() => onClient(async (client) => (await client.query(sql, clean(params))).rows as R[]));
    } catch (err) {
      throw storageError('database query failed', err);
    }
  };

  return {
    query,
    async transaction<T>(work: (query: PgQuery) => Promise<T>): Promise<T> {
      try {
        return await retrying(() =>
          onClient(async (client) => {
            const inTx: PgQuery = async <R>(sql: string, params?: unknown[]) => (await client.query(sql, clean(params))).rows as R[];
            await client.query('BEGIN');
            try {
              const result = await work(inTx);
              await client.query('COMMIT');
              return result;
            } catch (err) {
              await client.query('ROLLBACK').catch(() => undefined);
              throw err;
            }
          }),
        );
      } catch (err) {
        throw storageError('database transaction failed', err);
      }
    },
    async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
      try {
        return await work();
      } catch (err) {
        const cause = err instanceof Error && 'code' in err && (err as { code: unknown }).code === 'storage' ? (err.cause ?? err) : err;
        throw storageError(what, cause);
      }
    },
  };
}
