import type { FeedRecord, FeedStatusPatch, FeedStore } from '../ingest/feeds/feed-store.js';
import type { PgDb } from './postgres-db.js';
import { feedIdFor } from './sqlite-feeds.js';

interface FeedRow {
  id: string;
  url: string;
  title: string | null;
  added_by: string | null;
  added_at: string;
  etag: string | null;
  last_modified: string | null;
  last_polled_at: string | null;
  next_poll_at: string | null;
  failures: number;
  first_failure_at: string | null;
  disabled: boolean;
  last_error: string | null;
  polls: number;
}

// Only these names ever reach the SQL text of `update`.
const COLUMNS: Record<keyof FeedStatusPatch, string> = {
  title: 'title',
  etag: 'etag',
  lastModified: 'last_modified',
  lastPolledAt: 'last_polled_at',
  nextPollAt: 'next_poll_at',
  failures: 'failures',
  firstFailureAt: 'first_failure_at',
  disabled: 'disabled',
  lastError: 'last_error',
  polls: 'polls',
};

function toRecord(row: FeedRow): FeedRecord {
  const record: FeedRecord = { id: row.id, url: row.url, addedAt: row.added_at, failures: row.failures, disabled: row.disabled, polls: row.polls };
  if (row.title !== null) record.title = row.title;
  if (row.added_by !== null) record.addedBy = row.added_by;
  if (row.etag !== null) record.etag = row.etag;
  if (row.last_modified !== null) record.lastModified = row.last_modified;
  if (row.last_polled_at !== null) record.lastPolledAt = row.last_polled_at;
  if (row.next_poll_at !== null) record.nextPollAt = row.next_poll_at;
  if (row.first_failure_at !== null) record.firstFailureAt = row.first_failure_at;
  if (row.last_error !== null) record.lastError = row.last_error;
  return record;
}

/** The FeedStore on PostgreSQL; tables come from migration 4. Same ids as the SQLite store. */
export function createPostgresFeedStore(db: PgDb): FeedStore {
  const one = async (sql: string, params: unknown[]) => {
    const [row] = await db.query<FeedRow>(sql, params);
    return row;
  };
  const byUrl = (url: string) => one('SELECT * FROM feeds WHERE url = $1', [url]);
  // An id never looks like a URL, so one statement serves both; the id wins as in the SQLite store.
  const lookup = (idOrUrl: string) => one('SELECT * FROM feeds WHERE id = $1 OR url = $1 ORDER BY (id = $1) DESC LIMIT 1', [idOrUrl]);

  return {
    async add(url, { addedBy, now }) {
      for (let length = 6; ; length = Math.max(length + 1, 7)) {
        const existing = await byUrl(url);
        if (existing) {
          const row = existing.disabled
            ? await one(
                `UPDATE feeds SET disabled = false, failures = 0, first_failure_at = NULL, last_error = NULL, next_poll_at = NULL WHERE url = $1 RETURNING *`,
                [url],
              )
            : existing;
          return { feed: toRecord(row ?? existing), created: false };
        }
        const inserted = await one('INSERT INTO feeds (id, url, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *', [
          feedIdFor(url, length),
          url,
          addedBy ?? null,
          now,
        ]);
        if (inserted) return { feed: toRecord(inserted), created: true };
        // The URL was added concurrently (found on the next pass), or the short id is taken: try a longer one.
      }
    },
    async list() {
      return (await db.query<FeedRow>('SELECT * FROM feeds ORDER BY added_at, url')).map(toRecord);
    },
    async get(idOrUrl) {
      const row = await lookup(idOrUrl);
      return row ? toRecord(row) : undefined;
    },
    async remove(idOrUrl) {
      const row = await lookup(idOrUrl);
      if (!row) return false;
      return (await db.query('DELETE FROM feeds WHERE url = $1 RETURNING 1', [row.url])).length > 0;
    },
    async update(url, patch) {
      const entries = Object.entries(patch) as [keyof FeedStatusPatch, unknown][];
      if (entries.length === 0) return;
      const sets = entries.map(([field], index) => `${COLUMNS[field]} = $${index + 2}`).join(', ');
      await db.query(`UPDATE feeds SET ${sets} WHERE url = $1`, [url, ...entries.map(([, value]) => (value === undefined ? null : value))]);
    },
    async due(now, limit) {
      const rows = await db.query<FeedRow>(
        'SELECT * FROM feeds WHERE NOT disabled AND (next_poll_at IS NULL OR next_poll_at <= $1) ORDER BY next_poll_at NULLS FIRST, url LIMIT $2',
        [now, limit],
      );
      return rows.map(toRecord);
    },
    async findArticleKey(keys) {
      if (keys.length === 0) return undefined;
      // The first key in the caller's order that is known, in one round trip.
      const [row] = await db.query<{ article_key: string }>(
        `SELECT f.article_key FROM unnest($1::text[]) WITH ORDINALITY AS k (key, position)
         JOIN feed_item_keys f ON f.key = k.key ORDER BY k.position LIMIT 1`,
        [keys],
      );
      return row?.article_key;
    },
    async rememberKeys(keys, articleKey, now) {
      if (keys.length === 0) return;
      await db.query(
        `INSERT INTO feed_item_keys (key, article_key, seen_at) SELECT DISTINCT key, $2, $3 FROM unnest($1::text[]) AS k (key)
         ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at`,
        [keys, articleKey, now],
      );
    },
  };
}
