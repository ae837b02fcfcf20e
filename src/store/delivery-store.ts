import type { DeliveryState } from '../domain/delivery.js';
import { inTransaction, type Db } from './connections.js';
import type { StoreDialect } from './dialect.js';
import type { DeliveryStore } from './ports.js';
import { toDelivery } from './rows.js';

const COLUMNS = [
  'article_id',
  'channel',
  'state',
  'attempts',
  'message_id',
  'last_error',
  'not_before',
  'created_at',
  'updated_at',
] as const;
// Bound parameters per statement stay far below SQLite's limit (32,766).
const CHUNK = 500;

export function createDeliveryStore(db: Db, dialect: StoreDialect): DeliveryStore {
  const rows = () => db.selectFrom('deliveries').select(COLUMNS);
  const one = (articleId: string, channel: string) =>
    db.updateTable('deliveries').where('article_id', '=', articleId).where('channel', '=', channel);

  return {
    async enqueue(articleId, channels, now = new Date().toISOString()) {
      const unique = [...new Set(channels)];
      if (unique.length === 0) return 0;
      return inTransaction(db, dialect.begin, async (trx) => {
        let added = 0;
        for (let at = 0; at < unique.length; at += CHUNK) {
          const values = unique.slice(at, at + CHUNK).map((channel) => ({
            article_id: articleId,
            channel,
            state: 'pending' as const,
            attempts: 0,
            created_at: now,
            updated_at: now,
          }));
          const result = await trx
            .insertInto('deliveries')
            .values(values)
            .onConflict((oc) => oc.columns(['article_id', 'channel']).doNothing())
            .executeTakeFirst();
          added += Number(result.numInsertedOrUpdatedRows ?? 0);
        }
        return added;
      });
    },
    async forArticle(articleId) {
      return (await rows().where('article_id', '=', articleId).execute()).map(toDelivery);
    },
    async reset(articleId, channel, now) {
      await one(articleId, channel)
        .set({ state: 'pending', attempts: 0, message_id: null, last_error: null, not_before: null, updated_at: now })
        .execute();
    },
    async requeueFailed(channel, now) {
      const result = await db
        .updateTable('deliveries')
        .set({ state: 'pending', attempts: 0, last_error: null, not_before: null, updated_at: now })
        .where('channel', '=', channel)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async channelStatus(channel, failureLimit) {
      const inChannel = () => rows().where('channel', '=', channel);
      const last = await inChannel()
        .where('state', '=', 'sent')
        .orderBy('updated_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const counts = await db
        .selectFrom('deliveries')
        .select(['state', (eb) => eb.fn.countAll().as('n')])
        .where('channel', '=', channel)
        .where('state', 'in', ['pending', 'sending'])
        .groupBy('state')
        .execute();
      const count = (state: DeliveryState) => Number(counts.find((row) => row.state === state)?.n ?? 0);
      const failed = await inChannel()
        .where('state', '=', 'failed')
        .orderBy('updated_at', 'desc')
        .limit(failureLimit)
        .execute();
      const retrying = await inChannel()
        .where('state', '=', 'pending')
        .where('attempts', '>', 0)
        .orderBy('updated_at', 'desc')
        .limit(failureLimit)
        .execute();
      return {
        lastSent: last ? toDelivery(last) : undefined,
        pending: count('pending'),
        sending: count('sending'),
        retrying: retrying.map(toDelivery),
        failed: failed.map(toDelivery),
      };
    },
    async claimDue(query) {
      if (query.channels && query.channels.length === 0) return [];
      return (await inTransaction(db, dialect.begin, (trx) => dialect.claimDue(trx, query))).map(toDelivery);
    },
    async renewClaims(owner, until) {
      const result = await db
        .updateTable('delivery_channels')
        .set({ claim_until: until })
        .where('claimed_by', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
    async releaseClaims(owner, channels) {
      if (channels && channels.length === 0) return;
      let query = db
        .updateTable('delivery_channels')
        .set({ claimed_by: null, claim_until: null })
        .where('claimed_by', '=', owner);
      if (channels) query = query.where('channel', 'in', channels);
      await query.execute();
    },
    async markSending(articleId, channel, now, claim) {
      if (!claim) {
        await one(articleId, channel)
          .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
          .execute();
        return true;
      }
      // Fenced: only while this owner holds the channel, extending its lease in the same transaction
      // (the channel row stays locked until commit, so a claimer elsewhere waits or skips it).
      return inTransaction(db, dialect.begin, async (trx) => {
        const until = new Date(Date.parse(now) + claim.leaseMs).toISOString();
        const held = await trx
          .updateTable('delivery_channels')
          .set({ claim_until: until })
          .where('channel', '=', channel)
          .where('claimed_by', '=', claim.owner)
          .executeTakeFirst();
        if (Number(held.numUpdatedRows) === 0) return false;
        const marked = await trx
          .updateTable('deliveries')
          .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), updated_at: now }))
          .where('article_id', '=', articleId)
          .where('channel', '=', channel)
          .where('state', '<>', 'sent')
          .executeTakeFirst();
        return Number(marked.numUpdatedRows) > 0;
      });
    },
    async markSent(articleId, channel, messageId, now) {
      await one(articleId, channel)
        .set({ state: 'sent', message_id: messageId, last_error: null, not_before: null, updated_at: now })
        .execute();
    },
    async markPosted(articleId, channel, messageId, now) {
      await one(articleId, channel)
        .where('state', '<>', 'sent')
        .set({ message_id: messageId, updated_at: now })
        .execute();
    },
    async markRetry(articleId, channel, error, notBefore, now) {
      await one(articleId, channel)
        .where('state', '<>', 'sent')
        .set({ state: 'pending', last_error: error, not_before: notBefore, updated_at: now })
        .execute();
    },
    async markFailed(articleId, channel, error, now) {
      await one(articleId, channel)
        .where('state', '<>', 'sent')
        .set({ state: 'failed', last_error: error, not_before: null, updated_at: now })
        .execute();
    },
    async countByState() {
      const counts: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      const grouped = await db
        .selectFrom('deliveries')
        .select(['state', (eb) => eb.fn.countAll().as('n')])
        .groupBy('state')
        .execute();
      for (const row of grouped) counts[row.state] = Number(row.n);
      return counts;
    },
  };
}
