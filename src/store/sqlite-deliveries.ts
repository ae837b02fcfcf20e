import type { Database, Statement } from 'better-sqlite3';
import type { ChannelId } from '../domain/channel.js';
import type { DeliveryState } from '../domain/delivery.js';
import type { ClaimQuery, ClaimRef, DeliveryStore } from './ports.js';
import { toDelivery, type DeliveryRow } from './rows.js';

export function createSqliteDeliveryStore(db: Database): DeliveryStore {
  const insert = db.prepare(
    `INSERT INTO deliveries (article_id, channel, state, attempts, created_at, updated_at)
     VALUES (?, ?, 'pending', 0, ?, ?) ON CONFLICT (article_id, channel) DO NOTHING`,
  );
  const enqueueAll = db.transaction((articleId: string, channels: ChannelId[], now: string) =>
    channels.reduce((added, channel) => added + insert.run(articleId, channel, now, now).changes, 0),
  );
  const dueQuery = (channels: number, retriesOnly: boolean) =>
    db.prepare(
      `SELECT * FROM (
         SELECT *, row_number() OVER (PARTITION BY channel ORDER BY created_at, article_id) AS position
         FROM deliveries
         WHERE (state = 'sending' OR (state = 'pending' AND (not_before IS NULL OR not_before <= @now)${retriesOnly ? ' AND attempts > 0' : ''}))
         ${channels > 0 ? `AND channel IN (SELECT value FROM json_each(@channels))` : ''}
       ) WHERE position <= @perChannel ORDER BY created_at, article_id LIMIT @limit`,
    ) as Statement<[{ now: string; perChannel: number; limit: number; channels: string }], DeliveryRow>;
  const dueStatements = [dueQuery(0, false), dueQuery(0, true), dueQuery(1, false), dueQuery(1, true)];
  const defer = db.prepare(`UPDATE deliveries SET not_before = ?, updated_at = ? WHERE article_id = ? AND channel = ? AND state = 'pending'`);
  const ofArticle = db.prepare('SELECT * FROM deliveries WHERE article_id = ?') as Statement<[string], DeliveryRow>;
  const reset = db.prepare(
    `UPDATE deliveries SET state = 'pending', attempts = 0, message_id = NULL, last_error = NULL, not_before = NULL, updated_at = ? WHERE article_id = ? AND channel = ?`,
  );
  const requeue = db.prepare(
    `UPDATE deliveries SET state = 'pending', attempts = 0, last_error = NULL, not_before = NULL, updated_at = ? WHERE channel = ? AND state = 'failed'`,
  );
  const lastSent = db.prepare(`SELECT * FROM deliveries WHERE channel = ? AND state = 'sent' ORDER BY updated_at DESC LIMIT 1`) as Statement<[string], DeliveryRow>;
  const countIn = db.prepare(`SELECT count(*) FROM deliveries WHERE channel = ? AND state = ?`).pluck() as Statement<[string, string], number>;
  const failures = db.prepare(`SELECT * FROM deliveries WHERE channel = ? AND state = 'failed' ORDER BY updated_at DESC LIMIT ?`) as Statement<[string, number], DeliveryRow>;
  const retrying = db.prepare(`SELECT * FROM deliveries WHERE channel = ? AND state = 'pending' AND attempts > 0 ORDER BY updated_at DESC LIMIT ?`) as Statement<[string, number], DeliveryRow>;
  const sending = db.prepare(`UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE article_id = ? AND channel = ?`);
  const sent = db.prepare(
    `UPDATE deliveries SET state = 'sent', message_id = ?, last_error = NULL, not_before = NULL, updated_at = ? WHERE article_id = ? AND channel = ?`,
  );
  const retry = db.prepare(`UPDATE deliveries SET state = 'pending', last_error = ?, not_before = ?, updated_at = ? WHERE article_id = ? AND channel = ? AND state <> 'sent'`);
  const failed = db.prepare(`UPDATE deliveries SET state = 'failed', last_error = ?, not_before = NULL, updated_at = ? WHERE article_id = ? AND channel = ? AND state <> 'sent'`);
  const one = db.prepare('SELECT * FROM deliveries WHERE article_id = ? AND channel = ?') as Statement<[string, string], DeliveryRow>;
  const forChannel = db.prepare('SELECT * FROM deliveries WHERE channel = ? ORDER BY updated_at DESC LIMIT ?') as Statement<[string, number], DeliveryRow>;
  const claimStatements = [false, true].map((retriesOnly) => {
    const due = `(state = 'sending' OR (state = 'pending' AND (not_before IS NULL OR not_before <= @now)${retriesOnly ? ' AND attempts > 0' : ''}))`;
    return {
      pick: db.prepare(
        `SELECT due.channel FROM (
           SELECT channel, min(created_at) AS oldest FROM deliveries
           WHERE ${due} AND (@all OR channel IN (SELECT value FROM json_each(@channels)))
           GROUP BY channel
         ) due LEFT JOIN delivery_channels c ON c.channel = due.channel
         WHERE c.claimed_by IS NULL OR c.claim_until <= @now OR c.claimed_by NOT IN (SELECT value FROM json_each(@live))
         ORDER BY due.oldest, due.channel LIMIT @max`,
      ).pluck() as Statement<[{ now: string; all: number; channels: string; live: string; max: number }], string>,
      rows: db.prepare(
        `SELECT * FROM (
           SELECT *, row_number() OVER (PARTITION BY channel ORDER BY created_at, article_id) AS position
           FROM deliveries WHERE ${due} AND channel IN (SELECT value FROM json_each(@picked))
         ) WHERE position <= @perChannel ORDER BY created_at, article_id`,
      ) as Statement<[{ now: string; picked: string; perChannel: number }], DeliveryRow>,
    };
  });
  const take = db.prepare(
    `INSERT INTO delivery_channels (channel, claimed_by, claim_until) VALUES (?, ?, ?)
     ON CONFLICT (channel) DO UPDATE SET claimed_by = excluded.claimed_by, claim_until = excluded.claim_until`,
  );
  /**
   * One process per SQLite file: a claim by an owner this process never made is left over from a
   * process that died, so it is free at once; a restart does not wait for the lease to run out.
   */
  const liveOwners = new Set<string>();
  const claim = db.transaction((query: ClaimQuery) => {
    const statements = claimStatements[query.retriesOnly ? 1 : 0]!;
    const picked = statements.pick.all({
      now: query.now,
      all: query.channels ? 0 : 1,
      channels: JSON.stringify(query.channels ?? []),
      live: JSON.stringify([...liveOwners]),
      max: query.maxChannels,
    });
    const until = new Date(Date.parse(query.now) + query.leaseMs).toISOString();
    for (const channel of picked) take.run(channel, query.owner, until);
    return statements.rows.all({ now: query.now, picked: JSON.stringify(picked), perChannel: query.perChannel });
  });
  const renew = db.prepare('UPDATE delivery_channels SET claim_until = ? WHERE claimed_by = ?');
  const releaseAll = db.prepare('UPDATE delivery_channels SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = ?');
  const releaseSome = db.prepare('UPDATE delivery_channels SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = ? AND channel IN (SELECT value FROM json_each(?))');
  const holds = db.prepare('SELECT 1 FROM delivery_channels WHERE channel = ? AND claimed_by = ?').pluck() as Statement<[string, string], number>;
  const sendingUnlessSent = db.prepare(`UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE article_id = ? AND channel = ? AND state <> 'sent'`);
  const fencedSending = db.transaction((articleId: string, channel: string, now: string, ref: ClaimRef) => {
    if (!holds.get(channel, ref.owner)) return false;
    take.run(channel, ref.owner, new Date(Date.parse(now) + ref.leaseMs).toISOString());
    return sendingUnlessSent.run(now, articleId, channel).changes > 0;
  });
  const byState = db.prepare('SELECT state, count(*) AS n FROM deliveries GROUP BY state') as Statement<[], { state: DeliveryState; n: number }>;

  return {
    async enqueue(articleId, channels, now = new Date().toISOString()) {
      return channels.length === 0 ? 0 : enqueueAll(articleId, channels, now);
    },
    async due({ now, limit, perChannel, channels, retriesOnly }) {
      if (channels && channels.length === 0) return [];
      const statement = dueStatements[(channels ? 2 : 0) + (retriesOnly ? 1 : 0)]!;
      return statement.all({ now, perChannel, limit, channels: JSON.stringify(channels ?? []) }).map(toDelivery);
    },
    async defer(articleId, channel, notBefore, now) {
      defer.run(notBefore, now, articleId, channel);
    },
    async forArticle(articleId) {
      return ofArticle.all(articleId).map(toDelivery);
    },
    async reset(articleId, channel, now) {
      reset.run(now, articleId, channel);
    },
    async requeueFailed(channel, now) {
      return requeue.run(now, channel).changes;
    },
    async channelStatus(channel, failureLimit) {
      const last = lastSent.get(channel);
      return {
        lastSent: last ? toDelivery(last) : undefined,
        pending: countIn.get(channel, 'pending') ?? 0,
        sending: countIn.get(channel, 'sending') ?? 0,
        retrying: retrying.all(channel, failureLimit).map(toDelivery),
        failed: failures.all(channel, failureLimit).map(toDelivery),
      };
    },
    async claimDue(query) {
      if (query.channels && query.channels.length === 0) return [];
      liveOwners.add(query.owner);
      // IMMEDIATE: the write lock is taken before reading, so two claimers cannot pick the same channel.
      return claim.immediate(query).map(toDelivery);
    },
    async renewClaims(owner, until) {
      return renew.run(until, owner).changes;
    },
    async releaseClaims(owner, channels) {
      if (channels) releaseSome.run(owner, JSON.stringify(channels));
      else releaseAll.run(owner);
    },
    async markSending(articleId, channel, now, ref) {
      if (ref) return fencedSending.immediate(articleId, channel, now, ref);
      sending.run(now, articleId, channel);
      return true;
    },
    async markSent(articleId, channel, messageId, now) {
      sent.run(messageId, now, articleId, channel);
    },
    async markRetry(articleId, channel, error, notBefore, now) {
      retry.run(error, notBefore, now, articleId, channel);
    },
    async markFailed(articleId, channel, error, now) {
      failed.run(error, now, articleId, channel);
    },
    async get(articleId, channel) {
      const row = one.get(articleId, channel);
      return row ? toDelivery(row) : undefined;
    },
    async forChannel(channel, limit) {
      return forChannel.all(channel, limit).map(toDelivery);
    },
    async countByState() {
      const counts: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      for (const row of byState.all()) counts[row.state] = row.n;
      return counts;
    },
  };
}
