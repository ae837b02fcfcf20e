import { sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { ArticleTitle } from './ports.js';
import { isNotExecuted, postgresReason } from './postgres-errors.js';
import type { DeliveryRow } from './rows.js';
import { foldedWords, parseSearch, toTsQuery } from './search-query.js';
import { visibleTo } from './visibility.js';

/*
 * Full-text search behaving like the SQLite FTS5 table (unicode61, remove_diacritics): JavaScript
 * splits and folds documents and queries alike, so the 'simple' configuration only ever sees plain
 * lower-case words and results do not depend on the database's locale or extensions.
 */

// A tsvector holds at most 1 MB; a body this long is far past any article, and its tail is not indexed.
const MAX_INDEXED_CHARS = 300_000;
const document = (text: string) => foldedWords(text.slice(0, MAX_INDEXED_CHARS)).join(' ');
// Title words weigh 4 to a body word's 1, as the SQLite bm25 weights do. Order: {D, C, B, A}.
const RANK_WEIGHTS = sql.raw(`'{0.25, 0.25, 0.25, 1.0}'::float4[]`);

const due = (now: string, retriesOnly: boolean) =>
  sql`(state = 'sending' OR (state = 'pending' AND (not_before IS NULL OR not_before <= ${now})
    AND (NOT ${retriesOnly} OR attempts > 0)))`;

/** PostgreSQL: a tsvector column, and claims several replicas can race for (FOR UPDATE SKIP LOCKED). */
export function createPostgresDialect(options: { retryMs: number }): StoreDialect {
  return {
    name: 'postgres',
    begin: 'BEGIN',
    searchColumns: (title, body) => ({
      search: sql`setweight(to_tsvector('simple', ${title}), 'A') || setweight(to_tsvector('simple', ${body}), 'D')`,
    }),
    searchText: document,
    async indexArticle() {},
    async indexArticles() {},
    async search(db, text, limit, viewer) {
      const parsed = parseSearch(text, foldedWords);
      if (!parsed) return [];
      // Normalisation 1 divides by 1 + log(length), so a long body does not win by sheer size.
      const { rows } = await sql<{
        data: string;
      }>`SELECT data FROM articles, to_tsquery('simple', ${toTsQuery(parsed)}) AS q
        WHERE search @@ q AND ${visibleTo(viewer)} ORDER BY ts_rank(${RANK_WEIGHTS}, search, q, 1) DESC, sort_date DESC LIMIT ${limit}`.execute(
        db,
      );
      return rows.map((row) => row.data);
    },
    async titlesMatching(db, typed, limit, viewer) {
      const words = foldedWords(typed).slice(0, 16);
      if (words.length === 0) return [];
      const match = words.map((w, i) => `'${w}':${i === words.length - 1 ? '*' : ''}A`).join(' & ');
      const { rows } = await sql<ArticleTitle>`SELECT id, title FROM articles, to_tsquery('simple', ${match}) AS q
        WHERE search @@ q AND ${visibleTo(viewer)} ORDER BY ts_rank(search, q) DESC, sort_date DESC LIMIT ${limit}`.execute(
        db,
      );
      return rows;
    },
    async claimDue(db, { now, maxChannels, perChannel, channels, retriesOnly, owner, leaseMs }) {
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      const dueNow = due(now, retriesOnly ?? false);
      // One statement: pick channels with due rows whose claim is free or expired, oldest due row
      // first, skipping channel rows another replica is claiming this very moment; take them; read
      // their due rows. READ COMMITTED re-checks a locked row's claim once the other claimer commits.
      const { rows } = await sql<DeliveryRow>`WITH due AS (
          SELECT channel, min(created_at) AS oldest FROM deliveries
          WHERE ${dueNow} AND (${channels ?? null}::text[] IS NULL OR channel = ANY(${channels ?? null}::text[]))
          GROUP BY channel
        ), picked AS (
          SELECT c.channel FROM due JOIN delivery_channels c ON c.channel = due.channel
          WHERE c.claimed_by IS NULL OR c.claim_until <= ${now}
          ORDER BY due.oldest, c.channel LIMIT ${maxChannels}
          FOR UPDATE OF c SKIP LOCKED
        ), claimed AS (
          UPDATE delivery_channels c SET claimed_by = ${owner}, claim_until = ${until}
          FROM picked WHERE c.channel = picked.channel RETURNING c.channel
        )
        SELECT article_id, channel, state, attempts, message_id, last_error, not_before, created_at, updated_at FROM (
          SELECT d.*, row_number() OVER (PARTITION BY d.channel ORDER BY d.created_at, d.article_id) AS position
          FROM deliveries d JOIN claimed ON claimed.channel = d.channel WHERE ${dueNow}
        ) ranked WHERE position <= ${perChannel} ORDER BY created_at, article_id`.execute(db);
      return rows;
    },
    reason: postgresReason,
    isNotExecuted,
    retryMs: options.retryMs,
  };
}
