import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from './sqlite-migrations.js';
import type { SubscriptionStore } from './ports.js';
import { toSubscription, type SubscriptionRow } from './rows.js';

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
