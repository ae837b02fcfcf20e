import { OPERATOR_SPACE } from '../domain/space.js';
import type { Subscription } from '../domain/subscription.js';
import type { Db } from './connections.js';
import type { SubscriptionStore } from './ports.js';
import { toSubscription, type SubscriptionRow } from './rows.js';

export function createSubscriptionStore(db: Db): SubscriptionStore {
  const all = () => db.selectFrom('subscriptions').selectAll();
  return {
    async putSubscription(subscription) {
      const row = {
        channel: subscription.channel,
        space: subscription.space ?? OPERATOR_SPACE,
        feeds: subscription.feeds ? JSON.stringify(subscription.feeds) : null,
        schedule: subscription.schedule ?? null,
        timezone: subscription.timezone ?? null,
        filter: JSON.stringify(subscription.filter),
        digest: subscription.digest,
        paused: subscription.paused,
        origin: subscription.origin,
        created_by: subscription.createdBy ?? null,
        created_at: subscription.createdAt,
        presentation: subscription.presentation ? JSON.stringify(subscription.presentation) : null,
      };
      const { channel: _channel, ...rest } = row;
      await db
        .insertInto('subscriptions')
        .values(row)
        .onConflict((oc) => oc.column('channel').doUpdateSet(rest))
        .execute();
    },
    async getSubscription(channel) {
      const row = await all().where('channel', '=', channel).executeTakeFirst();
      return row ? toSubscription(row as SubscriptionRow) : undefined;
    },
    async getSubscriptions(channels) {
      const found: Subscription[] = [];
      // In chunks: SQLite caps the parameters of one statement.
      for (let from = 0; from < channels.length; from += 500) {
        const rows = await all()
          .where('channel', 'in', channels.slice(from, from + 500))
          .execute();
        for (const row of rows) found.push(toSubscription(row as SubscriptionRow));
      }
      return found;
    },
    async removeSubscription(channel) {
      const result = await db.deleteFrom('subscriptions').where('channel', '=', channel).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listSubscriptions(space) {
      const query = space === undefined ? all() : all().where('space', '=', space);
      return (await query.orderBy('channel').execute()).map((row) => toSubscription(row as SubscriptionRow));
    },
    async setPaused(channel, paused) {
      const result = await db
        .updateTable('subscriptions')
        .set({ paused })
        .where('channel', '=', channel)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
