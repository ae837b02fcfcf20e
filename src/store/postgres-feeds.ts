import type { FeedStatusPatch, FeedStore } from '../ingest/feeds/feed-store.js';
import type { PgDb } from './postgres-db.js';
import { feedIdFor } from './sqlite-feeds.js';
import { FEED_COLUMNS, toFeedRecord, type FeedRow } from './rows.js';




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
          return { feed: toFeedRecord(row ?? existing), created: false };
        }
        const inserted = await one('INSERT INTO feeds (id, url, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *', [
          feedIdFor(url, length),
          url,
          addedBy ?? null,
          now,
        ]);
        if (inserted) return { feed: toFeedRecord(inserted), created: true };
        // The URL was added concurrently (found on the next pass), or the short id is taken: try a longer one.
      }
    },
    async list() {
      return (await db.query<FeedRow>('SELECT * FROM feeds ORDER BY added_at, url')).map(toFeedRecord);
    },
    async get(idOrUrl) {
      const row = await lookup(idOrUrl);
      return row ? toFeedRecord(row) : undefined;
    },
    async remove(idOrUrl) {
      const row = await lookup(idOrUrl);
      if (!row) return false;
      return (await db.query('DELETE FROM feeds WHERE url = $1 RETURNING 1', [row.url])).length > 0;
    },
    async update(url, patch) {
      const entries = Object.entries(patch) as [keyof FeedStatusPatch, unknown][];
      if (entries.length === 0) return;
      const sets = entries.map(([field], index) => `${FEED_COLUMNS[field]} = $${index + 2}`).join(', ');
      await db.query(`UPDATE feeds SET ${sets} WHERE url = $1`, [url, ...entries.map(([, value]) => (value === undefined ? null : value))]);
    },
    async due(now, limit) {
      const rows = await db.query<FeedRow>(
        'SELECT * FROM feeds WHERE NOT disabled AND (next_poll_at IS NULL OR next_poll_at <= $1) ORDER BY next_poll_at NULLS FIRST, url LIMIT $2',
        [now, limit],
      );
      return rows.map(toFeedRecord);
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
