import type { Database, Statement } from 'better-sqlite3';
import type { ChannelId } from '../domain/channel.js';
import type { Subscription, SubscriptionFilter } from '../domain/subscription.js';
import type { Migration } from './sqlite-migrations.js';
import type { SubscriptionStore } from './ports.js';

export const subscriptionsMigration: Migration = {
  version: 5,
  name: 'subscriptions',
  up(db) {
    db.exec(`
      CREATE TABLE subscriptions (
        channel TEXT PRIMARY KEY,
        space TEXT,
        schedule TEXT,
        timezone TEXT,
        filter TEXT NOT NULL,
        digest INTEGER NOT NULL DEFAULT 0,
        paused INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL CHECK (origin IN ('config', 'command')),
        created_by TEXT,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX subscriptions_space ON subscriptions (space);
    `);
  },
};

interface SubscriptionRow {
  channel: string;
  space: string | null;
  schedule: string | null;
  timezone: string | null;
  filter: string;
  digest: number;
  paused: number;
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
    paused: row.paused === 1,
    origin: row.origin,
    createdBy: row.created_by ?? undefined,
    createdAt: row.created_at,
  };
}

export function createSqliteSubscriptionStore(db: Database): SubscriptionStore {
  const put = db.prepare(
    `INSERT OR REPLACE INTO subscriptions (channel, space, schedule, timezone, filter, digest, paused, origin, created_by, created_at)
     VALUES (@channel, @space, @schedule, @timezone, @filter, @digest, @paused, @origin, @createdBy, @createdAt)`,
  );
  const get = db.prepare('SELECT * FROM subscriptions WHERE channel = ?') as Statement<[string], SubscriptionRow>;
  const remove = db.prepare('DELETE FROM subscriptions WHERE channel = ?');
  const all = db.prepare('SELECT * FROM subscriptions ORDER BY channel') as Statement<[], SubscriptionRow>;
  const inSpace = db.prepare('SELECT * FROM subscriptions WHERE space = ? ORDER BY channel') as Statement<[string], SubscriptionRow>;
  const pause = db.prepare('UPDATE subscriptions SET paused = ? WHERE channel = ?');
  return {
    async putSubscription(subscription) {
      put.run({
        channel: subscription.channel,
        space: subscription.space ?? null,
        schedule: subscription.schedule ?? null,
        timezone: subscription.timezone ?? null,
        filter: JSON.stringify(subscription.filter),
        digest: subscription.digest,
        paused: subscription.paused ? 1 : 0,
        origin: subscription.origin,
        createdBy: subscription.createdBy ?? null,
        createdAt: subscription.createdAt,
      });
    },
    async getSubscription(channel) {
      const row = get.get(channel);
      return row ? toSubscription(row) : undefined;
    },
    async removeSubscription(channel) {
      return remove.run(channel).changes > 0;
    },
    async listSubscriptions(space) {
      return (space === undefined ? all.all() : inSpace.all(space)).map(toSubscription);
    },
    async setPaused(channel, paused) {
      return pause.run(paused ? 1 : 0, channel).changes > 0;
    },
  };
}
