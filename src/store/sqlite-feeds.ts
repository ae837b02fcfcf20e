import type { Database, Statement } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { FeedStatusPatch, FeedStore } from '../ingest/feeds/feed-store.js';
import { FEED_COLUMNS, toFeedRecord, type FeedRow } from './rows.js';

/** Migration 004: the feed list and the item-key memory. Idempotent (IF NOT EXISTS). */
export function feedsMigration(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS feeds (
      id TEXT NOT NULL UNIQUE,
      url TEXT PRIMARY KEY,
      title TEXT,
      added_by TEXT,
      added_at TEXT NOT NULL,
      etag TEXT,
      last_modified TEXT,
      last_polled_at TEXT,
      next_poll_at TEXT,
      failures INTEGER NOT NULL DEFAULT 0,
      first_failure_at TEXT,
      disabled INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      polls INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS feeds_due ON feeds (disabled, next_poll_at);
    CREATE TABLE IF NOT EXISTS feed_item_keys (
      key TEXT PRIMARY KEY,
      article_key TEXT NOT NULL,
      seen_at TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}




/** Short, stable, URL-safe id for a feed URL. */
export function feedIdFor(url: string, length = 6): string {
  return BigInt(`0x${createHash('sha256').update(url).digest('hex').slice(0, 16)}`).toString(36).slice(0, length).padStart(length, '0');
}

export function createSqliteFeedStore(db: Database): FeedStore {
  feedsMigration(db);
  const byUrl = db.prepare('SELECT * FROM feeds WHERE url = ?') as Statement<[string], FeedRow>;
  const byId = db.prepare('SELECT * FROM feeds WHERE id = ?') as Statement<[string], FeedRow>;
  const all = db.prepare('SELECT * FROM feeds ORDER BY added_at, url') as Statement<[], FeedRow>;
  const insert = db.prepare('INSERT INTO feeds (id, url, added_by, added_at) VALUES (?, ?, ?, ?)');
  const reenable = db.prepare('UPDATE feeds SET disabled = 0, failures = 0, first_failure_at = NULL, last_error = NULL, next_poll_at = NULL WHERE url = ?');
  const del = db.prepare('DELETE FROM feeds WHERE url = ?');
  const due = db.prepare(
    'SELECT * FROM feeds WHERE disabled = 0 AND (next_poll_at IS NULL OR next_poll_at <= ?) ORDER BY next_poll_at IS NOT NULL, next_poll_at LIMIT ?',
  ) as Statement<[string, number], FeedRow>;
  const findKey = db.prepare('SELECT article_key FROM feed_item_keys WHERE key = ?') as Statement<[string], { article_key: string }>;
  const rememberKey = db.prepare(
    'INSERT INTO feed_item_keys (key, article_key, seen_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at',
  );
  const rememberAll = db.transaction((keys: string[], articleKey: string, now: string) => {
    for (const key of keys) rememberKey.run(key, articleKey, now);
  });

  const lookup = (idOrUrl: string): FeedRow | undefined => byId.get(idOrUrl) ?? byUrl.get(idOrUrl);

  return {
    async add(url, { addedBy, now }) {
      const existing = byUrl.get(url);
      if (existing) {
        if (existing.disabled) reenable.run(url);
        return { feed: toFeedRecord(byUrl.get(url) ?? existing), created: false };
      }
      let id = feedIdFor(url);
      for (let length = 7; byId.get(id); length++) id = feedIdFor(url, length);
      insert.run(id, url, addedBy ?? null, now);
      const row = byUrl.get(url);
      if (!row) throw new Error('feed insert did not persist');
      return { feed: toFeedRecord(row), created: true };
    },
    async list() {
      return all.all().map(toFeedRecord);
    },
    async get(idOrUrl) {
      const row = lookup(idOrUrl);
      return row ? toFeedRecord(row) : undefined;
    },
    async remove(idOrUrl) {
      const row = lookup(idOrUrl);
      if (!row) return false;
      return del.run(row.url).changes > 0;
    },
    async update(url, patch) {
      const entries = Object.entries(patch) as [keyof FeedStatusPatch, unknown][];
      if (entries.length === 0) return;
      const sets = entries.map(([field]) => `${FEED_COLUMNS[field]} = ?`).join(', ');
      const values = entries.map(([, value]) => (value === undefined ? null : typeof value === 'boolean' ? Number(value) : value));
      db.prepare(`UPDATE feeds SET ${sets} WHERE url = ?`).run(...values, url);
    },
    async due(now, limit) {
      return due.all(now, limit).map(toFeedRecord);
    },
    async findArticleKey(keys) {
      for (const key of keys) {
        const row = findKey.get(key);
        if (row) return row.article_key;
      }
      return undefined;
    },
    async rememberKeys(keys, articleKey, now) {
      rememberAll(keys, articleKey, now);
    },
  };
}
