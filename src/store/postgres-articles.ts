import type { Article } from '../domain/article.js';
import { sortDate } from '../domain/article.js';
import { articleIdFor } from '../ingest/article-key.js';
import type { PgDb, PgQuery } from './postgres-db.js';
import { searchDocument, toTsQuery } from './postgres-text-search.js';
import type { ArticleInput, ArticleStore, ArticleTitle, UpsertResult } from './ports.js';

interface ArticleRow {
  num: string;
  id: string;
  key: string;
  content_hash: string;
  data: string;
}

const toArticle = (row: { data: string }): Article => JSON.parse(row.data) as Article;
const bodyText = (article: Article): string => article.body.map((block) => block.text).join('\n');

// Title words weigh 4 to a body word's 1, as the SQLite store's bm25 weights do. Order: {D, C, B, A}.
const RANK_WEIGHTS = `'{0.25, 0.25, 0.25, 1.0}'::float4[]`;
// Normalisation 1 divides by 1 + log(length), so a long body does not win by sheer size.
const RANK_NORMALISATION = 1;

const SEARCH_VECTOR = `setweight(to_tsvector('simple', $8), 'A') || setweight(to_tsvector('simple', $9), 'D')`;

export function createPostgresArticleStore(db: PgDb): ArticleStore {
  /** Existing rows for these keys, fetched in one round trip. */
  async function rowsByKey(query: PgQuery, keys: string[]): Promise<Map<string, ArticleRow>> {
    const unique = [...new Set(keys)];
    const rows = unique.length === 0 ? [] : await query<ArticleRow>('SELECT num, id, key, content_hash, data FROM articles WHERE key = ANY($1::text[])', [unique]);
    return new Map(rows.map((row) => [row.key, row]));
  }

  async function upsertOne(query: PgQuery, known: Map<string, ArticleRow>, input: ArticleInput, now: string): Promise<UpsertResult> {
    const { previousKey, announce: _announce, ...draft } = input;
    const existing = known.get(input.key) ?? (previousKey ? known.get(previousKey) : undefined);
    if (existing && existing.content_hash === input.contentHash && existing.key === input.key) {
      return { status: 'unchanged', article: toArticle(existing) };
    }
    const earlier = existing ? toArticle(existing) : undefined;
    for (let length = 8; ; length += 2) {
      const article: Article = { ...draft, id: existing?.id ?? articleIdFor(input.key, length), firstSeenAt: earlier?.firstSeenAt ?? now, updatedAt: now };
      const params = [
        article.id,
        article.key,
        article.title,
        sortDate(article),
        article.origin.kind === 'file' ? article.origin.path : null,
        article.contentHash,
        JSON.stringify(article),
        searchDocument(article.title),
        searchDocument(bodyText(article)),
        now,
      ];
      if (existing) {
        await query(
          `UPDATE articles SET key = $2, title = $3, sort_date = $4, origin_path = $5, content_hash = $6, data = $7,
             search = ${SEARCH_VECTOR}, updated_at = $10 WHERE num = $11 AND id = $1`,
          [...params, existing.num],
        );
        if (previousKey && previousKey !== input.key) known.delete(previousKey);
        known.set(input.key, { num: existing.num, id: article.id, key: article.key, content_hash: article.contentHash, data: params[6] as string });
        return { status: 'updated', article };
      }
      const inserted = await query<{ num: string }>(
        `INSERT INTO articles (id, key, title, sort_date, origin_path, content_hash, data, search, first_seen_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, ${SEARCH_VECTOR}, $10, $10) ON CONFLICT DO NOTHING RETURNING num`,
        params,
      );
      if (inserted[0]) {
        known.set(input.key, { num: inserted[0].num, id: article.id, key: article.key, content_hash: article.contentHash, data: params[6] as string });
        return { status: 'new', article };
      }
      // Either another replica stored this key a moment ago (treat it as existing), or the short id
      // belongs to a different key (take a longer one, as the SQLite store does).
      const raced = await rowsByKey(query, [input.key]);
      const row = raced.get(input.key);
      if (row) {
        known.set(input.key, row);
        return upsertOne(query, known, input, now);
      }
    }
  }

  async function upsertBatch(inputs: ArticleInput[], now: string): Promise<UpsertResult[]> {
    return db.transaction(async (query) => {
      const known = await rowsByKey(query, inputs.flatMap((input) => (input.previousKey ? [input.key, input.previousKey] : [input.key])));
      const results: UpsertResult[] = [];
      for (const input of inputs) {
        const result = await upsertOne(query, known, input, now);
        // Same transaction as the article: a kill before the fan-out leaves it here to redo.
        if (result.status === 'updated' || (result.status === 'new' && input.announce !== false)) {
          await query(
            `INSERT INTO article_outbox (article_id, status, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (article_id) DO UPDATE SET status = CASE WHEN article_outbox.status = 'new' THEN 'new' ELSE excluded.status END`,
            [result.article.id, result.status, now],
          );
        }
        results.push(result);
      }
      return results;
    });
  }

  return {
    async upsert(input, now = new Date().toISOString()) {
      return db.guard('cannot store the article', async () => (await upsertBatch([input], now))[0]!);
    },
    async upsertMany(inputs, now = new Date().toISOString()) {
      if (inputs.length === 0) return [];
      return db.guard(`cannot store ${inputs.length} articles`, () => upsertBatch(inputs, now));
    },
    async get(id) {
      const [row] = await db.query<{ data: string }>('SELECT data FROM articles WHERE id = $1', [id]);
      return row ? toArticle(row) : undefined;
    },
    async getByKey(key) {
      const [row] = await db.query<{ data: string }>('SELECT data FROM articles WHERE key = $1', [key]);
      return row ? toArticle(row) : undefined;
    },
    async latest(limit) {
      const rows = await db.query<{ data: string }>('SELECT data FROM articles ORDER BY sort_date DESC, num DESC LIMIT $1', [limit]);
      return rows.map(toArticle);
    },
    async search(text, limit) {
      const match = toTsQuery(text);
      if (!match) return [];
      const rows = await db.query<{ data: string }>(
        `SELECT data FROM articles, to_tsquery('simple', $1) AS q WHERE search @@ q
         ORDER BY ts_rank(${RANK_WEIGHTS}, search, q, ${RANK_NORMALISATION}) DESC, sort_date DESC LIMIT $2`,
        [match, limit],
      );
      return rows.map(toArticle);
    },
    async suggest(typed, limit) {
      const text = typed.trim();
      if (!text) return db.query<ArticleTitle>('SELECT id, title FROM articles ORDER BY sort_date DESC, num DESC LIMIT $1', [limit]);
      // Ids are [0-9a-z] only, so the typed text cannot carry LIKE wildcards here.
      const byPrefix = /^[0-9a-z]{2,12}$/.test(text)
        ? await db.query<ArticleTitle>(`SELECT id, title FROM articles WHERE id LIKE $1 || '%' ORDER BY sort_date DESC LIMIT $2`, [text, limit])
        : [];
      const match = toTsQuery(text, { prefixLast: true, weight: 'A' });
      const byTitle = match
        ? await db.query<ArticleTitle>(
            `SELECT id, title FROM articles, to_tsquery('simple', $1) AS q WHERE search @@ q
             ORDER BY ts_rank(search, q) DESC, sort_date DESC LIMIT $2`,
            [match, limit],
          )
        : [];
      const seen = new Set<string>();
      return [...byPrefix, ...byTitle].filter((row) => !seen.has(row.id) && seen.add(row.id)).slice(0, limit);
    },
    async count() {
      const [row] = await db.query<{ n: string }>('SELECT count(*) AS n FROM articles');
      return Number(row?.n ?? 0);
    },
    async pendingOutbox(limit) {
      const rows = await db.query<{ status: 'new' | 'updated'; data: string }>(
        `SELECT o.status, a.data FROM article_outbox o JOIN articles a ON a.id = o.article_id ORDER BY o.created_at, o.article_id LIMIT $1`,
        [limit],
      );
      return rows.map((row) => ({ status: row.status, article: toArticle(row) }));
    },
    async clearOutbox(ids) {
      if (ids.length === 0) return;
      await db.guard('cannot record the fan-out', () => db.query('DELETE FROM article_outbox WHERE article_id = ANY($1::text[])', [ids]));
    },
  };
}
