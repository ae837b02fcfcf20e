import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { OPERATOR_SPACE } from '../domain/space.js';
import { inTransaction, type Db } from './connections.js';
import type { FeedStatusPatch, FeedStore } from './feed-ports.js';
import { FEED_COLUMNS, toFeedRecord, type FeedRow } from './rows.js';

/** Short, stable, URL-safe id for a feed URL. */
export function feedIdFor(url: string, length = 6): string {
  const value = BigInt(`0x${createHash('sha256').update(url).digest('hex').slice(0, 16)}`);
  return value.toString(36).slice(0, length).padStart(length, '0');
}

export function createFeedStore(db: Db, begin: string): FeedStore {
  const feeds = () => db.selectFrom('feeds').selectAll();
  const byUrl = async (url: string) => (await feeds().where('url', '=', url).executeTakeFirst()) as FeedRow | undefined;
  // An id never looks like a URL, so one statement serves both; the id wins.
  const lookup = async (idOrUrl: string) =>
    (await feeds()
      .where((eb) => eb.or([eb('id', '=', idOrUrl), eb('url', '=', idOrUrl)]))
      .orderBy(sql`CASE WHEN id = ${idOrUrl} THEN 0 ELSE 1 END`)
      .limit(1)
      .executeTakeFirst()) as FeedRow | undefined;

  async function addFeed(url: string, addedBy: string | undefined, now: string) {
    for (let length = 6; ; length = Math.max(length + 1, 7)) {
      const existing = await byUrl(url);
      if (existing) {
        if (!existing.disabled) return { feed: toFeedRecord(existing), created: false };
        await db
          .updateTable('feeds')
          .set({ disabled: false, failures: 0, first_failure_at: null, last_error: null, next_poll_at: null })
          .where('url', '=', url)
          .execute();
        return { feed: toFeedRecord((await byUrl(url)) ?? existing), created: false };
      }
      const inserted = await db
        .insertInto('feeds')
        .values({ id: feedIdFor(url, length), url, added_by: addedBy ?? null, added_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        const row = await byUrl(url);
        if (row) return { feed: toFeedRecord(row), created: true };
      }
      // The URL was added concurrently (found on the next pass), or the short id is taken: try a longer one.
    }
  }

  return {
    async add(url, { addedBy, now, space = OPERATOR_SPACE }) {
      const { feed, created } = await addFeed(url, addedBy, now);
      const linked = await db
        .insertInto('feed_links')
        .values({ feed_id: feed.id, space, added_by: addedBy ?? null, added_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return { feed, created, linked: Number(linked.numInsertedOrUpdatedRows ?? 0) > 0 };
    },
    async list(space) {
      let query = feeds();
      if (space !== undefined) {
        query = query.where('id', 'in', (eb) =>
          eb.selectFrom('feed_links').select('feed_id').where('space', '=', space),
        );
      }
      return ((await query.orderBy('added_at').orderBy('url').execute()) as FeedRow[]).map(toFeedRecord);
    },
    async links(idOrUrl) {
      const row = await lookup(idOrUrl);
      if (!row) return [];
      const rows = await db
        .selectFrom('feed_links')
        .selectAll()
        .where('feed_id', '=', row.id)
        .orderBy('added_at')
        .orderBy('space')
        .execute();
      return rows.map((link) => ({
        feedId: link.feed_id,
        space: link.space,
        ...(link.added_by ? { addedBy: link.added_by } : {}),
        addedAt: link.added_at,
        fulltext: link.fulltext,
      }));
    },
    async unlink(idOrUrl, space) {
      const row = await lookup(idOrUrl);
      if (!row) return false;
      return inTransaction(db, begin, async (trx) => {
        const gone = await trx
          .deleteFrom('feed_links')
          .where('feed_id', '=', row.id)
          .where('space', '=', space)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) === 0) return false;
        const left = await trx
          .selectFrom('feed_links')
          .select('space')
          .where('feed_id', '=', row.id)
          .executeTakeFirst();
        if (!left) await trx.deleteFrom('feeds').where('id', '=', row.id).execute();
        return true;
      });
    },
    async countLinks(space) {
      const row = await db
        .selectFrom('feed_links')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('space', '=', space)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async get(idOrUrl) {
      const row = await lookup(idOrUrl);
      return row ? toFeedRecord(row) : undefined;
    },
    async remove(idOrUrl) {
      const row = await lookup(idOrUrl);
      if (!row) return false;
      return inTransaction(db, begin, async (trx) => {
        await trx.deleteFrom('feed_links').where('feed_id', '=', row.id).execute();
        const gone = await trx.deleteFrom('feeds').where('url', '=', row.url).executeTakeFirst();
        return Number(gone.numDeletedRows) > 0;
      });
    },
    async update(url, patch) {
      const entries = Object.entries(patch) as [keyof FeedStatusPatch, unknown][];
      if (entries.length === 0) return;
      // Only the names in FEED_COLUMNS become columns; `undefined` clears a field.
      const set = Object.fromEntries(entries.map(([field, value]) => [FEED_COLUMNS[field], value ?? null]));
      await db.updateTable('feeds').set(set).where('url', '=', url).execute();
    },
    async due(now, limit) {
      const rows = await feeds()
        .where('disabled', '=', false)
        .where((eb) => eb.exists(eb.selectFrom('feed_links').select('feed_id').whereRef('feed_id', '=', 'feeds.id')))
        .where((eb) => eb.or([eb('next_poll_at', 'is', null), eb('next_poll_at', '<=', now)]))
        .orderBy(sql`CASE WHEN next_poll_at IS NULL THEN 0 ELSE 1 END`)
        .orderBy('next_poll_at')
        .orderBy('url')
        .limit(limit)
        .execute();
      return (rows as FeedRow[]).map(toFeedRecord);
    },
    async findArticleKey(keys) {
      if (keys.length === 0) return undefined;
      const rows = await db
        .selectFrom('feed_item_keys')
        .select(['key', 'article_key'])
        .where('key', 'in', keys)
        .execute();
      const found = new Map(rows.map((row) => [row.key, row.article_key]));
      // The first key in the caller's order that is known.
      return keys
        .map((key) => found.get(key) ?? found.get(key.replaceAll('\u0000', '')))
        .find((articleKey) => articleKey !== undefined);
    },
    async rememberKeys(keys, articleKey, now) {
      const unique = [...new Set(keys)];
      if (unique.length === 0) return;
      await db
        .insertInto('feed_item_keys')
        .values(unique.map((key) => ({ key, article_key: articleKey, seen_at: now })))
        .onConflict((oc) => oc.column('key').doUpdateSet({ seen_at: now }))
        .execute();
    },
  };
}
