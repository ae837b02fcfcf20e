import { sql } from 'kysely';
import type { Article } from '../domain/article.js';
import { sortDate } from '../domain/article.js';
import { articleIdFor } from '../domain/article-key.js';
import { inTransaction, type Db } from './connections.js';
import type { StoreDialect } from './dialect.js';
import type { ArticleInput, ArticleStore, UpsertResult } from './ports.js';

interface KnownRow {
  num: number | string;
  id: string;
  key: string;
  content_hash: string;
  data: string;
}

const toArticle = (data: string): Article => JSON.parse(data) as Article;
const bodyText = (article: Article): string => article.body.map((block) => block.text).join('\n');
// Ids are lower-case base 36; what people type or paste may not be.
const ID_PREFIX = /^[0-9a-z]{2,12}$/;

export function createArticleStore(db: Db, dialect: StoreDialect): ArticleStore {
  const known = (trx: Db, keys: string[]) =>
    trx.selectFrom('articles').select(['num', 'id', 'key', 'content_hash', 'data']).where('key', 'in', keys).execute();

  async function upsertOne(trx: Db, input: ArticleInput, now: string): Promise<UpsertResult> {
    const { previousKey, announce: _announce, derivedVersion = '', ...draft } = input;
    const rows = await known(trx, previousKey ? [input.key, previousKey] : [input.key]);
    const existing: KnownRow | undefined = rows.find((row) => row.key === input.key) ?? rows[0];
    if (existing && existing.content_hash === input.contentHash && existing.key === input.key) {
      return { status: 'unchanged', article: toArticle(existing.data) };
    }
    const firstSeenAt = existing ? toArticle(existing.data).firstSeenAt : now;
    for (let length = 8; ; length += 2) {
      const article: Article = {
        ...draft,
        id: existing?.id ?? articleIdFor(input.key, length),
        firstSeenAt,
        updatedAt: now,
      };
      const body = bodyText(article);
      const values = {
        key: article.key,
        title: article.title,
        sort_date: sortDate(article),
        origin_path: article.origin.kind === 'file' ? article.origin.path : null,
        content_hash: article.contentHash,
        data: JSON.stringify(article),
        derived_version: derivedVersion,
        updated_at: now,
        ...dialect.searchColumns(article.title, body),
      };
      if (existing) {
        await trx.updateTable('articles').set(values).where('num', '=', existing.num).execute();
        await dialect.indexArticle(trx, existing.num, article.title, body, true);
        return { status: 'updated', article };
      }
      const inserted = await trx
        .insertInto('articles')
        .values({ ...values, id: article.id, first_seen_at: now })
        .onConflict((oc) => oc.doNothing())
        .returning('num')
        .executeTakeFirst();
      if (inserted) {
        await dialect.indexArticle(trx, inserted.num, article.title, body, false);
        return { status: 'new', article };
      }
      // Another replica stored this key a moment ago (treat it as existing), or the short id
      // belongs to a different key (take a longer one).
      if ((await known(trx, [input.key])).length > 0) return upsertOne(trx, input, now);
    }
  }

  function upsertBatch(inputs: ArticleInput[], now: string): Promise<UpsertResult[]> {
    return inTransaction(db, dialect.begin, async (trx) => {
      const results: UpsertResult[] = [];
      for (const input of inputs) {
        const result = await upsertOne(trx, input, now);
        // Same transaction as the article: a kill before the fan-out leaves it here to redo.
        // A new article stays 'new' until its fan-out is done, even if it changes meanwhile.
        if (result.status === 'updated' || (result.status === 'new' && input.announce !== false)) {
          await trx
            .insertInto('article_outbox')
            .values({ article_id: result.article.id, status: result.status, created_at: now })
            .onConflict((oc) =>
              oc.column('article_id').doUpdateSet({
                status: sql`CASE WHEN article_outbox.status = 'new' THEN 'new' ELSE excluded.status END`,
              }),
            )
            .execute();
        }
        results.push(result);
      }
      return results;
    });
  }

  const titles = () => db.selectFrom('articles').select(['id', 'title']);

  return {
    async upsert(input, now = new Date().toISOString()) {
      return (await upsertBatch([input], now))[0]!;
    },
    async upsertMany(inputs, now = new Date().toISOString()) {
      return inputs.length === 0 ? [] : upsertBatch(inputs, now);
    },
    async get(id) {
      const row = await db
        .selectFrom('articles')
        .select('data')
        .where('id', '=', id.trim().toLowerCase())
        .executeTakeFirst();
      return row ? toArticle(row.data) : undefined;
    },
    async getByKey(key) {
      const row = await db.selectFrom('articles').select('data').where('key', '=', key).executeTakeFirst();
      return row ? toArticle(row.data) : undefined;
    },
    async latest(limit) {
      const rows = await db
        .selectFrom('articles')
        .select('data')
        .orderBy('sort_date', 'desc')
        .orderBy('num', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => toArticle(row.data));
    },
    async search(text, limit) {
      return (await dialect.search(db, text, limit)).map(toArticle);
    },
    async suggest(typed, limit) {
      const text = typed.trim();
      if (!text) return titles().orderBy('sort_date', 'desc').orderBy('num', 'desc').limit(limit).execute();
      const lower = text.toLowerCase();
      // Only [0-9a-z] gets here, so the typed text cannot carry LIKE wildcards.
      const byPrefix = ID_PREFIX.test(lower)
        ? await titles().where('id', 'like', `${lower}%`).orderBy('sort_date', 'desc').limit(limit).execute()
        : [];
      const byTitle = await dialect.titlesMatching(db, text, limit);
      const seen = new Set<string>();
      return [...byPrefix, ...byTitle].filter((row) => !seen.has(row.id) && seen.add(row.id)).slice(0, limit);
    },
    async count() {
      const row = await db
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async pendingOutbox(limit) {
      const rows = await db
        .selectFrom('article_outbox as o')
        .innerJoin('articles as a', 'a.id', 'o.article_id')
        .select(['o.status', 'a.data'])
        .orderBy('o.created_at')
        .orderBy('o.article_id')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ status: row.status, article: toArticle(row.data) }));
    },
    async clearOutbox(ids) {
      if (ids.length === 0) return;
      // Chunks keep the bound parameters of one statement far below SQLite's limit.
      await inTransaction(db, dialect.begin, async (trx) => {
        for (let at = 0; at < ids.length; at += 500) {
          await trx.deleteFrom('article_outbox').where('article_id', 'in', ids.slice(at, at + 500)).execute();
        }
      });
    },
    async staleDerived(version, limit, after) {
      let query = db.selectFrom('articles').select('data').where('derived_version', '<>', version);
      if (after !== undefined) {
        query = query.where('num', '>', (eb) => eb.selectFrom('articles').select('num').where('id', '=', after));
      }
      const rows = await query.orderBy('num').limit(limit).execute();
      return rows.map((row) => toArticle(row.data));
    },
    async replaceDerived(id, derived) {
      return inTransaction(db, dialect.begin, async (trx) => {
        const row = await trx.selectFrom('articles').select(['num', 'data']).where('id', '=', id).executeTakeFirst();
        if (!row) return false;
        const article: Article = { ...toArticle(row.data), summary: derived.summary, sources: derived.sources };
        await trx
          .updateTable('articles')
          .set({ data: JSON.stringify(article), derived_version: derived.derivedVersion })
          .where('num', '=', row.num)
          .execute();
        return true;
      });
    },
  };
}
