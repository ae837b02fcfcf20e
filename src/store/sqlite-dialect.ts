import { CompiledQuery, sql } from 'kysely';
import type { StoreDialect } from './dialect.js';
import type { ArticleTitle } from './ports.js';
import type { DeliveryRow } from './rows.js';
import { ftsWords, parseSearch, toFts5 } from './search-query.js';
import { storageReason } from './sqlite-errors.js';
import { visibleTo } from './visibility.js';

const due = (now: string, retriesOnly: boolean) =>
  sql`(state = 'sending' OR (state = 'pending' AND (not_before IS NULL OR not_before <= ${now})
    ${retriesOnly ? sql`AND attempts > 0` : sql``}))`;

/** SQLite: an FTS5 table beside the articles; one process per file, so claims only record ownership. */
export function createSqliteDialect(): StoreDialect {
  /**
   * A claim by an owner this process never made is left over from a process that died (one process
   * per SQLite file), so it is free at once: a restart does not wait for the lease to run out.
   */
  const liveOwners = new Set<string>();
  return {
    name: 'sqlite',
    begin: 'BEGIN IMMEDIATE',
    searchColumns: () => ({}),
    // The FTS row takes the text as it is; nothing goes into the articles row.
    searchText: () => '',
    // Raw compiled statements: one per article written, so they skip the query builder (compiled.ts).
    async indexArticle(trx, num, title, body, replaced) {
      if (replaced) await trx.executeQuery(CompiledQuery.raw('DELETE FROM articles_fts WHERE rowid = ?', [num]));
      await trx.executeQuery(
        CompiledQuery.raw('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)', [num, title, body]),
      );
    },
    async search(db, text, limit, viewer) {
      const parsed = parseSearch(text, ftsWords);
      if (!parsed) return [];
      const { rows } = await sql<{ data: string }>`SELECT a.data FROM articles_fts f JOIN articles a ON a.num = f.rowid
        WHERE articles_fts MATCH ${toFts5(parsed)} AND ${visibleTo(viewer, 'a')} ORDER BY bm25(articles_fts, 4.0, 1.0), a.sort_date DESC
        LIMIT ${limit}`.execute(db);
      return rows.map((row) => row.data);
    },
    async titlesMatching(db, typed, limit, viewer) {
      const words = ftsWords(typed).slice(0, 16);
      if (words.length === 0) return [];
      const match = `title : (${words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' AND ')})`;
      const { rows } =
        await sql<ArticleTitle>`SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.num = f.rowid
        WHERE articles_fts MATCH ${match} AND ${visibleTo(viewer, 'a')} ORDER BY bm25(articles_fts), a.sort_date DESC LIMIT ${limit}`.execute(
          db,
        );
      return rows;
    },
    async claimDue(trx, query) {
      liveOwners.add(query.owner);
      const channels = JSON.stringify(query.channels ?? []);
      const live = JSON.stringify([...liveOwners]);
      const dueNow = due(query.now, query.retriesOnly ?? false);
      const picked = await sql<{ channel: string }>`SELECT d.channel FROM (
          SELECT channel, min(created_at) AS oldest FROM deliveries
          WHERE ${dueNow} AND (${query.channels ? 0 : 1} OR channel IN (SELECT value FROM json_each(${channels})))
          GROUP BY channel
        ) d LEFT JOIN delivery_channels c ON c.channel = d.channel
        WHERE c.claimed_by IS NULL OR c.claim_until <= ${query.now}
          OR c.claimed_by NOT IN (SELECT value FROM json_each(${live}))
        ORDER BY d.oldest, d.channel LIMIT ${query.maxChannels}`.execute(trx);
      const until = new Date(Date.parse(query.now) + query.leaseMs).toISOString();
      for (const { channel } of picked.rows) {
        await trx
          .insertInto('delivery_channels')
          .values({ channel, claimed_by: query.owner, claim_until: until })
          .onConflict((oc) => oc.column('channel').doUpdateSet({ claimed_by: query.owner, claim_until: until }))
          .execute();
      }
      const { rows } = await sql<DeliveryRow>`SELECT article_id, channel, state, attempts, message_id, last_error,
          not_before, created_at, updated_at FROM (
          SELECT *, row_number() OVER (PARTITION BY channel ORDER BY created_at, article_id) AS position
          FROM deliveries WHERE ${dueNow}
            AND channel IN (SELECT value FROM json_each(${JSON.stringify(picked.rows.map((row) => row.channel))}))
        ) WHERE position <= ${query.perChannel} ORDER BY created_at, article_id`.execute(trx);
      return rows;
    },
    async indexArticles(trx, rows) {
      // 3 parameters a row: 300 rows stay far below SQLite's limit on bound parameters.
      for (let at = 0; at < rows.length; at += 300) {
        const chunk = rows.slice(at, at + 300);
        await trx.executeQuery(
          CompiledQuery.raw(
            `INSERT INTO articles_fts (rowid, title, body) VALUES ${chunk.map(() => '(?, ?, ?)').join(', ')}`,
            chunk.flatMap((row) => [row.num, row.title, row.body]),
          ),
        );
      }
    },
    reason: storageReason,
    isNotExecuted: () => false,
    retryMs: 0,
  };
}
