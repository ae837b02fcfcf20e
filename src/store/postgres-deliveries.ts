import type { DeliveryState } from '../domain/delivery.js';
import type { PgDb } from './postgres-db.js';
import type { DeliveryStore } from './ports.js';
import { toDelivery, type DeliveryRow } from './rows.js';

const COLUMNS = 'article_id, channel, state, attempts, message_id, last_error, not_before, created_at, updated_at';

/** Due for sending at $1 ($5: retries only): what `due` and `claimDue` share. */
const DUE = `(state = 'sending' OR (state = 'pending' AND (not_before IS NULL OR not_before <= $1) AND (NOT $5 OR attempts > 0)))`;

export function createPostgresDeliveryStore(db: PgDb): DeliveryStore {
  const rows = async (sql: string, params: unknown[]) => (await db.query<DeliveryRow>(sql, params)).map(toDelivery);

  return {
    async enqueue(articleId, channels, now = new Date().toISOString()) {
      if (channels.length === 0) return 0;
      // One statement for all channels: atomic like the SQLite transaction, and one round trip.
      const added = await db.query(
        `INSERT INTO deliveries (article_id, channel, state, attempts, created_at, updated_at)
         SELECT $1, channel, 'pending', 0, $3, $3 FROM unnest($2::text[]) AS c (channel)
         ON CONFLICT (article_id, channel) DO NOTHING RETURNING 1`,
        [articleId, [...new Set(channels)], now],
      );
      return added.length;
    },
    async due({ now, limit, perChannel, channels, retriesOnly }) {
      if (channels && channels.length === 0) return [];
      return rows(
        `SELECT ${COLUMNS} FROM (
           SELECT *, row_number() OVER (PARTITION BY channel ORDER BY created_at, article_id) AS position
           FROM deliveries
           WHERE ${DUE}
             AND ($4::text[] IS NULL OR channel = ANY($4::text[]))
         ) ranked WHERE position <= $2 ORDER BY created_at, article_id LIMIT $3`,
        [now, perChannel, limit, channels ?? null, retriesOnly ?? false],
      );
    },
    async defer(articleId, channel, notBefore, now) {
      await db.query(`UPDATE deliveries SET not_before = $1, updated_at = $2 WHERE article_id = $3 AND channel = $4 AND state = 'pending'`, [notBefore, now, articleId, channel]);
    },
    async forArticle(articleId) {
      return rows(`SELECT ${COLUMNS} FROM deliveries WHERE article_id = $1`, [articleId]);
    },
    async reset(articleId, channel, now) {
      await db.query(
        `UPDATE deliveries SET state = 'pending', attempts = 0, message_id = NULL, last_error = NULL, not_before = NULL, updated_at = $1
         WHERE article_id = $2 AND channel = $3`,
        [now, articleId, channel],
      );
    },
    async requeueFailed(channel, now) {
      const changed = await db.query(
        `UPDATE deliveries SET state = 'pending', attempts = 0, last_error = NULL, not_before = NULL, updated_at = $1
         WHERE channel = $2 AND state = 'failed' RETURNING article_id`,
        [now, channel],
      );
      return changed.length;
    },
    async channelStatus(channel, failureLimit) {
      const [last] = await rows(`SELECT ${COLUMNS} FROM deliveries WHERE channel = $1 AND state = 'sent' ORDER BY updated_at DESC LIMIT 1`, [channel]);
      const [counts] = await db.query<{ pending: number; sending: number }>(
        `SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending, count(*) FILTER (WHERE state = 'sending')::int AS sending
         FROM deliveries WHERE channel = $1`,
        [channel],
      );
      const failed = await rows(`SELECT ${COLUMNS} FROM deliveries WHERE channel = $1 AND state = 'failed' ORDER BY updated_at DESC LIMIT $2`, [channel, failureLimit]);
      const retrying = await rows(`SELECT ${COLUMNS} FROM deliveries WHERE channel = $1 AND state = 'pending' AND attempts > 0 ORDER BY updated_at DESC LIMIT $2`, [channel, failureLimit]);
      return { lastSent: last, pending: counts?.pending ?? 0, sending: counts?.sending ?? 0, retrying, failed };
    },
    async claimDue({ now, maxChannels, perChannel, channels, retriesOnly, owner, leaseMs }) {
      if (channels && channels.length === 0) return [];
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      // One statement: pick channels with due rows whose claim is free or expired, oldest due row
      // first, skipping channel rows another replica is claiming this very moment; take them; read
      // their due rows. READ COMMITTED re-checks a locked row's claim once the other claimer commits.
      return rows(
        `WITH due AS (
           SELECT channel, min(created_at) AS oldest FROM deliveries
           WHERE ${DUE} AND ($4::text[] IS NULL OR channel = ANY($4::text[]))
           GROUP BY channel
         ), picked AS (
           SELECT c.channel FROM due JOIN delivery_channels c ON c.channel = due.channel
           WHERE c.claimed_by IS NULL OR c.claim_until <= $1
           ORDER BY due.oldest, c.channel
           LIMIT $3
           FOR UPDATE OF c SKIP LOCKED
         ), claimed AS (
           UPDATE delivery_channels c SET claimed_by = $6, claim_until = $7 FROM picked WHERE c.channel = picked.channel RETURNING c.channel
         )
         SELECT ${COLUMNS} FROM (
           SELECT d.*, row_number() OVER (PARTITION BY d.channel ORDER BY d.created_at, d.article_id) AS position
           FROM deliveries d JOIN claimed ON claimed.channel = d.channel
           WHERE ${DUE}
         ) ranked WHERE position <= $2 ORDER BY created_at, article_id`,
        [now, perChannel, maxChannels, channels ?? null, retriesOnly ?? false, owner, until],
      );
    },
    async renewClaims(owner, until) {
      return (await db.query('UPDATE delivery_channels SET claim_until = $2 WHERE claimed_by = $1 RETURNING 1', [owner, until])).length;
    },
    async releaseClaims(owner, channels) {
      if (channels && channels.length === 0) return;
      await db.query('UPDATE delivery_channels SET claimed_by = NULL, claim_until = NULL WHERE claimed_by = $1 AND ($2::text[] IS NULL OR channel = ANY($2::text[]))', [
        owner,
        channels ?? null,
      ]);
    },
    async markSending(articleId, channel, now, claim) {
      if (!claim) {
        await db.query(`UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = $1 WHERE article_id = $2 AND channel = $3`, [now, articleId, channel]);
        return true;
      }
      // Fenced: only while this owner holds the channel, extending its lease in the same statement.
      const marked = await db.query(
        `WITH held AS (UPDATE delivery_channels SET claim_until = $5 WHERE channel = $3 AND claimed_by = $4 RETURNING 1)
         UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = $1
         WHERE article_id = $2 AND channel = $3 AND state <> 'sent' AND EXISTS (SELECT 1 FROM held) RETURNING 1`,
        [now, articleId, channel, claim.owner, new Date(Date.parse(now) + claim.leaseMs).toISOString()],
      );
      return marked.length > 0;
    },
    async markSent(articleId, channel, messageId, now) {
      await db.query(
        `UPDATE deliveries SET state = 'sent', message_id = $1, last_error = NULL, not_before = NULL, updated_at = $2 WHERE article_id = $3 AND channel = $4`,
        [messageId, now, articleId, channel],
      );
    },
    async markRetry(articleId, channel, error, notBefore, now) {
      await db.query(`UPDATE deliveries SET state = 'pending', last_error = $1, not_before = $2, updated_at = $3 WHERE article_id = $4 AND channel = $5 AND state <> 'sent'`, [
        error,
        notBefore,
        now,
        articleId,
        channel,
      ]);
    },
    async markFailed(articleId, channel, error, now) {
      await db.query(`UPDATE deliveries SET state = 'failed', last_error = $1, not_before = NULL, updated_at = $2 WHERE article_id = $3 AND channel = $4 AND state <> 'sent'`, [
        error,
        now,
        articleId,
        channel,
      ]);
    },
    async get(articleId, channel) {
      const [row] = await rows(`SELECT ${COLUMNS} FROM deliveries WHERE article_id = $1 AND channel = $2`, [articleId, channel]);
      return row;
    },
    async forChannel(channel, limit) {
      return rows(`SELECT ${COLUMNS} FROM deliveries WHERE channel = $1 ORDER BY updated_at DESC LIMIT $2`, [channel, limit]);
    },
    async countByState() {
      const counts: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      for (const row of await db.query<{ state: DeliveryState; n: number }>('SELECT state, count(*)::int AS n FROM deliveries GROUP BY state')) counts[row.state] = row.n;
      return counts;
    },
  };
}
