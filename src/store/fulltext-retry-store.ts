import type { Db } from './connections.js';
import type { FullTextRetry, FullTextRetryStore } from './fulltext-retry-ports.js';
import type { FullTextRetriesTable } from './schema.js';

const toRetry = (row: FullTextRetriesTable): FullTextRetry => ({
  articleKey: row.article_key,
  url: row.url,
  feedHash: row.feed_hash,
  draft: row.draft,
  attempts: Number(row.attempts),
  state: row.state,
  nextAt: row.next_at,
  reason: row.reason,
});

export function createFullTextRetryStore(db: Db): FullTextRetryStore {
  const rows = () => db.selectFrom('fulltext_retries').selectAll();
  const countPending = async (): Promise<number> => {
    const row = await db
      .selectFrom('fulltext_retries')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  };
  return {
    async schedule(retry, maxPending, now) {
      const waiting = await rows()
        .where('article_key', '=', retry.articleKey)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      if (!waiting && (await countPending()) >= maxPending) return false;
      const values = {
        url: retry.url,
        feed_hash: retry.feedHash,
        draft: retry.draft,
        attempts: retry.attempts,
        state: 'pending' as const,
        next_at: retry.nextAt,
        reason: retry.reason,
        updated_at: now,
      };
      await db
        .insertInto('fulltext_retries')
        .values({ article_key: retry.articleKey, ...values })
        .onConflict((oc) => oc.column('article_key').doUpdateSet(values))
        .execute();
      return true;
    },
    async giveUp(articleKey, reason, attempts, now) {
      await db
        .updateTable('fulltext_retries')
        .set({ state: 'gave_up', reason, attempts, next_at: now, updated_at: now })
        .where('article_key', '=', articleKey)
        .execute();
    },
    async claimDue(now, leaseUntil, limit) {
      const due = await rows()
        .where('state', '=', 'pending')
        .where('next_at', '<=', now)
        .orderBy('next_at')
        .orderBy('article_key')
        .limit(limit)
        .execute();
      const claimed: FullTextRetry[] = [];
      for (const row of due) {
        // Taken only if nobody moved it since we read it (another replica, the poller rescheduling it).
        const result = await db
          .updateTable('fulltext_retries')
          .set({ next_at: leaseUntil, updated_at: now })
          .where('article_key', '=', row.article_key)
          .where('state', '=', 'pending')
          .where('next_at', '=', row.next_at)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) > 0) claimed.push(toRetry(row));
      }
      return claimed;
    },
    async clear(articleKey) {
      await db.deleteFrom('fulltext_retries').where('article_key', '=', articleKey).execute();
    },
    async get(articleKey) {
      const row = await rows().where('article_key', '=', articleKey).executeTakeFirst();
      return row ? toRetry(row) : undefined;
    },
    countPending,
    async pruneGivenUp(before) {
      const result = await db
        .deleteFrom('fulltext_retries')
        .where('state', '=', 'gave_up')
        .where('next_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
