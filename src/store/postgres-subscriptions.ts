import type { PgDb } from './postgres-db.js';
import type { SubscriptionStore } from './ports.js';
import { toSubscription, type SubscriptionRow } from './rows.js';



export function createPostgresSubscriptionStore(db: PgDb): SubscriptionStore {
  return {
    async putSubscription(subscription) {
      await db.query(
        `INSERT INTO subscriptions (channel, space, schedule, timezone, filter, digest, paused, origin, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (channel) DO UPDATE SET space = excluded.space, schedule = excluded.schedule, timezone = excluded.timezone,
           filter = excluded.filter, digest = excluded.digest, paused = excluded.paused, origin = excluded.origin,
           created_by = excluded.created_by, created_at = excluded.created_at`,
        [
          subscription.channel,
          subscription.space ?? null,
          subscription.schedule ?? null,
          subscription.timezone ?? null,
          JSON.stringify(subscription.filter),
          subscription.digest,
          subscription.paused,
          subscription.origin,
          subscription.createdBy ?? null,
          subscription.createdAt,
        ],
      );
    },
    async getSubscription(channel) {
      const [row] = await db.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE channel = $1', [channel]);
      return row ? toSubscription(row) : undefined;
    },
    async removeSubscription(channel) {
      return (await db.query('DELETE FROM subscriptions WHERE channel = $1 RETURNING 1', [channel])).length > 0;
    },
    async listSubscriptions(space) {
      const rows =
        space === undefined
          ? await db.query<SubscriptionRow>('SELECT * FROM subscriptions ORDER BY channel')
          : await db.query<SubscriptionRow>('SELECT * FROM subscriptions WHERE space = $1 ORDER BY channel', [space]);
      return rows.map(toSubscription);
    },
    async setPaused(channel, paused) {
      return (await db.query('UPDATE subscriptions SET paused = $1 WHERE channel = $2 RETURNING 1', [paused, channel])).length > 0;
    },
  };
}
