import type pg from 'pg';
import type { Logger } from '../logger.js';
import { sql } from 'kysely';
import type { Db } from './connections.js';
import { storageError } from './postgres-errors.js';
import type { LockStore, RateSlotStore } from './ports.js';

/**
 * Session advisory locks for work that one replica at a time should do (a scheduled tick). The
 * lock lives on a connection held for the whole run, so a replica that dies (kill -9, lost
 * network) lets go the moment PostgreSQL sees its connection close. Advisory lock keys are
 * database-wide: the schema is part of the key, so two newsdesk schemas never block each other.
 */
export function createPostgresLockStore(pool: pg.Pool, log?: Logger): LockStore {
  const keyOf = `hashtextextended(current_schema() || ':newsdesk.lock:' || $1, 0)`;
  return {
    async tryRun(key, work, options = {}) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        throw storageError(`cannot take the lock ${key}`, err);
      }
      let lost: Error | undefined;
      const onLost = (err: Error) => {
        lost = err;
      };
      client.on('error', onLost);
      let locked = false;
      try {
        try {
          locked = Boolean(
            (await client.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(${keyOf}) AS locked`, [key])).rows[0]
              ?.locked,
          );
          if (!locked) return { ran: false };
          if (options.fire) {
            // Once per fire: a replica whose clock fired after another had finished the same tick skips it.
            const won = await client.query(
              `INSERT INTO schedule_runs (key, last_fire, ran_by, ran_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (key) DO UPDATE SET last_fire = EXCLUDED.last_fire, ran_by = EXCLUDED.ran_by, ran_at = EXCLUDED.ran_at
               WHERE schedule_runs.last_fire < EXCLUDED.last_fire RETURNING 1`,
              [key, options.fire, options.owner ?? null, new Date().toISOString()],
            );
            if (won.rowCount === 0) return { ran: false };
          }
        } catch (err) {
          lost ??= err as Error;
          throw storageError(`cannot take the lock ${key}`, err);
        }
        return { ran: true, value: await work() };
      } finally {
        if (locked && !lost) {
          await client.query(`SELECT pg_advisory_unlock(${keyOf})`, [key]).catch((err: Error) => {
            lost = err;
            log?.warn({ err, key }, 'could not release an advisory lock; closing its connection releases it');
          });
        }
        client.removeListener('error', onLost);
        // A connection that failed goes back destroyed; closing it also drops any lock it still held.
        client.release(lost);
      }
    },
  };
}

/**
 * Request slots shared by every replica: one row per limit holds the time of the next free slot.
 * Taking a slot moves it on by `gapMs` in one atomic statement (one round trip), so N replicas
 * together get evenly spaced slots, as one process would. The database's clock sets the pace.
 */
export function createPostgresRateSlotStore(db: Db): RateSlotStore {
  const dbNow = sql`extract(epoch from clock_timestamp()) * 1000`;
  return {
    async take(key, gapMs) {
      const { rows } = await sql<{
        wait_ms: number;
        slot_at: number;
      }>`INSERT INTO rate_slots (key, next_at) VALUES (${key}, ${dbNow} + ${gapMs}::float8)
        ON CONFLICT (key) DO UPDATE SET next_at = greatest(rate_slots.next_at + ${gapMs}::float8, EXCLUDED.next_at)
        RETURNING next_at - ${gapMs}::float8 - ${dbNow} AS wait_ms, next_at - ${gapMs}::float8 AS slot_at`.execute(db);
      return { waitMs: Math.max(0, Number(rows[0]?.wait_ms ?? 0)), slotAt: Number(rows[0]?.slot_at ?? 0) };
    },
    async pause(key, ms) {
      await sql`INSERT INTO rate_slots (key, next_at) VALUES (${key}, ${dbNow} + ${ms}::float8)
        ON CONFLICT (key) DO UPDATE SET next_at = greatest(rate_slots.next_at, EXCLUDED.next_at)`.execute(db);
    },
  };
}
