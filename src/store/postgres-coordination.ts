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
 * together get evenly spaced slots, as one process would. A lane (`hold`) is a row held by one
 * request at a time, whose next slot is set from when that request left. The database's clock sets the pace.
 */
export function createPostgresRateSlotStore(db: Db): RateSlotStore {
  const dbNow = sql`extract(epoch from clock_timestamp()) * 1000`;
  /** Lane sets whose rows exist: a lane is a row, created once, then only ever updated. */
  const created = new Set<string>();
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
    async pause(keys, ms) {
      await sql`INSERT INTO rate_slots (key, next_at) SELECT unnest(${[...keys]}::text[]), ${dbNow} + ${ms}::float8
        ON CONFLICT (key) DO UPDATE SET next_at = greatest(rate_slots.next_at, EXCLUDED.next_at)`.execute(db);
    },
    async hold(lanes, holder, { gapMs, leaseMs, count = 1 }) {
      const set = lanes.join('\u0000');
      if (!created.has(set)) {
        await sql`INSERT INTO rate_slots (key, next_at) SELECT unnest(${[...lanes]}::text[]), 0
          ON CONFLICT (key) DO NOTHING`.execute(db);
        created.add(set);
      }
      // The earliest free lane; SKIP LOCKED sends concurrent takers to different lanes, not into a queue.
      // A lane whose holder's lease ran out may have had a request leave up to the lease's end.
      const { rows } = await sql<{ lane: string; wait_ms: number; taken_from: string | null }>`
        WITH clock AS (SELECT ${dbNow} AS t),
        pick AS (
          SELECT s.key, s.holder AS taken_from,
            CASE WHEN s.holder IS NULL THEN s.next_at ELSE greatest(s.next_at, s.held_until + ${gapMs}::float8) END AS slot_at
          FROM rate_slots s, clock
          WHERE s.key = ANY(${[...lanes]}::text[]) AND (s.holder IS NULL OR s.held_until <= clock.t)
          ORDER BY slot_at LIMIT ${Math.max(1, Math.floor(count))}
          FOR UPDATE OF s SKIP LOCKED
        )
        UPDATE rate_slots r
        SET next_at = pick.slot_at, holder = ${holder}, held_until = greatest(pick.slot_at, clock.t) + ${leaseMs}::float8
        FROM pick, clock WHERE r.key = pick.key
        RETURNING r.key AS lane, pick.slot_at - clock.t AS wait_ms, pick.taken_from`.execute(db);
      return rows
        .map((row) => ({ lane: row.lane, waitMs: Math.max(0, Number(row.wait_ms)), expired: row.taken_from !== null }))
        .sort((a, b) => a.waitMs - b.waitMs);
    },
    async release(lane, holder, { gapMs, sinceLeftMs }) {
      // The lane moves on from the leave even when the lease has passed to someone else: a take after
      // this one must not land within a window of a request that did leave.
      const left = sinceLeftMs === undefined ? null : sinceLeftMs;
      const { rows } = await sql<{ ours: boolean }>`
        WITH clock AS (SELECT ${dbNow} AS t),
        before AS (SELECT holder = ${holder} AS ours FROM rate_slots WHERE key = ${lane})
        UPDATE rate_slots r SET
          next_at = CASE WHEN ${left}::float8 IS NULL THEN r.next_at
            ELSE greatest(r.next_at, clock.t - ${left}::float8 + ${gapMs}::float8) END,
          holder = CASE WHEN r.holder = ${holder} THEN NULL ELSE r.holder END,
          held_until = CASE WHEN r.holder = ${holder} THEN NULL ELSE r.held_until END
        FROM clock, before WHERE r.key = ${lane}
        RETURNING coalesce(before.ours, false) AS ours`.execute(db);
      return Boolean(rows[0]?.ours);
    },
  };
}
