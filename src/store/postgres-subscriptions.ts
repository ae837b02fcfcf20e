import type { ChannelId } from '../domain/channel.js';
import type { Subscription, SubscriptionFilter } from '../domain/subscription.js';
import type { PgDb } from './postgres-db.js';
import type { SubscriptionStore } from './ports.js';

interface SubscriptionRow {
  channel: string;
  space: string | null;
  schedule: string | null;
  timezone: string | null;
  filter: string;
  digest: number;
  paused: boolean;
  origin: 'config' | 'command';
  created_by: string | null;
  created_at: string;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    channel: row.channel as ChannelId,
    space: row.space ?? undefined,
    schedule: row.schedule ?? undefined,
    timezone: row.timezone ?? undefined,
    filter: JSON.parse(row.filter) as SubscriptionFilter,
    digest: row.digest,
    paused: row.paused,
    origin: row.origin,
    createdBy: row.created_by ?? undefined,
    createdAt: row.created_at,
  };
}

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
