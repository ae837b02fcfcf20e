import { type CompiledQuery, sql } from 'kysely';
import type { Article } from '../domain/article.js';
import { sortDate } from '../domain/article.js';
import { articleIdFor } from '../domain/article-key.js';
import { compileOnce } from './compiled.js';
import { inTransaction, type Db } from './connections.js';
import type { StoreDialect } from './dialect.js';
import type { ArticleInput, ArticleStore, UpsertResult } from './ports.js';
import { visibleTo } from './visibility.js';
import { OPERATOR_SPACE } from '../domain/space.js';

interface KnownRow {
  num: number | string;
  id: string;
  key: string;
  content_hash: string;
  data: string;
}

type RowValue =
  | 'key'
  | 'title'
  | 'sort_date'
  | 'origin_path'
  | 'feed_url'
  | 'content_hash'
  | 'data'
  | 'derived_version'
  | 'updated_at'
  | 'search_title'
  | 'search_body';

const toArticle = (data: string): Article => JSON.parse(data) as Article;
const bodyText = (article: Article): string => article.body.map((block) => block.text).join('\n');
// Ids are lower-case base 36; what people type or paste may not be.
const ID_PREFIX = /^[0-9a-z]{2,12}$/;

export function createArticleStore(db: Db, dialect: StoreDialect): ArticleStore {
  const CHUNK = 500;
  // Every article written goes through these two, so they are compiled once (compiled.ts).
  const rowColumns = (p: (name: RowValue) => string) => ({
    key: p('key'),
    title: p('title'),
    sort_date: p('sort_date'),
    origin_path: p('origin_path'),
    feed_url: p('feed_url'),
    content_hash: p('content_hash'),
    data: p('data'),
    derived_version: p('derived_version'),
    updated_at: p('updated_at'),
    ...dialect.searchColumns(p('search_title'), p('search_body')),
  });
  const insertArticle = compileOnce<RowValue | 'id' | 'first_seen_at', { num: number | string }>((p) =>
    db
      .insertInto('articles')
      .values({ ...rowColumns(p), id: p('id'), first_seen_at: p('first_seen_at') })
      .onConflict((oc) => oc.doNothing())
      .returning('num'),
  );
  const updateArticle = compileOnce<RowValue | 'num', never>((p) =>
    db
      .updateTable('articles')
      .set(rowColumns(p))
      .where('num', '=', p('num') as never),
  );
  /** Stored rows for these keys, by key: one query per chunk, not one per article. */
  async function known(trx: Db, keys: string[]): Promise<Map<string, KnownRow>> {
    const unique = [...new Set(keys)];
    const found = new Map<string, KnownRow>();
    for (let at = 0; at < unique.length; at += CHUNK) {
      const rows = await trx
        .selectFrom('articles')
        .select(['num', 'id', 'key', 'content_hash', 'data'])
        .where('key', 'in', unique.slice(at, at + CHUNK))
        .execute();
      for (const row of rows) found.set(row.key, row);
    }
    return found;
  }

  /** The article as stored, its body text, and its row's values. */
  function articleRow(input: ArticleInput, id: string, firstSeenAt: string, now: string) {
    const { previousKey: _previous, announce: _announce, derivedVersion = '', ...draft } = input;
    const article: Article = { ...draft, id, firstSeenAt, updatedAt: now };
    const body = bodyText(article);
    const values: Record<RowValue, unknown> = {
      key: article.key,
      title: article.title,
      sort_date: sortDate(article),
      origin_path: article.origin.kind === 'file' ? article.origin.path : null,
      feed_url: article.origin.kind === 'feed' ? article.origin.feedUrl : null,
      content_hash: article.contentHash,
      data: JSON.stringify(article),
      derived_version: derivedVersion,
      updated_at: now,
      search_title: dialect.searchText(article.title),
      search_body: dialect.searchText(body),
    };
    return { article, body, values };
  }

  /**
   * The batch's plainly new articles, a chunk per statement (a cold ingest is thousands of them):
   * keys not stored, not repeated in the batch and not part of a rename. What the insert skips (an
   * id another key holds, a key another replica just stored) is left to `upsertOne`.
   */
  async function insertFresh(
    trx: Db,
    rows: Map<string, KnownRow>,
    inputs: ArticleInput[],
    now: string,
  ): Promise<Map<string, Article>> {
    const seen = new Map<string, number>();
    const renamed = new Set<string>();
    for (const input of inputs) {
      seen.set(input.key, (seen.get(input.key) ?? 0) + 1);
      if (input.previousKey) renamed.add(input.previousKey).add(input.key);
    }
    const fresh = inputs.filter(
      (input) => !rows.has(input.key) && seen.get(input.key) === 1 && !renamed.has(input.key),
    );
    const stored = new Map<string, Article>();
    for (let at = 0; at < fresh.length; at += CHUNK) {
      // An id twice in one chunk (two keys, one short id) leaves the second to upsertOne's longer ids.
      const ids = new Set<string>();
      const built = fresh
        .slice(at, at + CHUNK)
        .map((input) => articleRow(input, articleIdFor(input.key, 8), now, now))
        .filter(({ article }) => !ids.has(article.id) && ids.add(article.id));
      const inserted = await trx
        .insertInto('articles')
        .values(
          built.map(({ article, values: { search_title, search_body, ...columns } }) => ({
            ...(columns as Omit<Record<RowValue, string>, 'search_title' | 'search_body'>),
            ...dialect.searchColumns(search_title, search_body),
            id: article.id,
            first_seen_at: now,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .returning(['num', 'id'])
        .execute();
      // By id, not key: PostgreSQL stores a key without its NUL characters (connections.ts).
      const byId = new Map(built.map((row) => [row.article.id, row]));
      const indexed: { num: number | string; title: string; body: string }[] = [];
      for (const { num, id } of inserted) {
        const row = byId.get(id)!;
        const key = row.article.key;
        rows.set(key, {
          num,
          id: row.article.id,
          key,
          content_hash: row.article.contentHash,
          data: row.values.data as string,
        });
        stored.set(key, row.article);
        indexed.push({ num, title: row.article.title, body: row.body });
      }
      await dialect.indexArticles(trx, indexed);
    }
    return stored;
  }

  async function upsertOne(
    trx: Db,
    rows: Map<string, KnownRow>,
    input: ArticleInput,
    now: string,
  ): Promise<UpsertResult> {
    const { previousKey } = input;
    const existing = rows.get(input.key) ?? (previousKey ? rows.get(previousKey) : undefined);
    if (existing && existing.content_hash === input.contentHash && existing.key === input.key) {
      return { status: 'unchanged', article: toArticle(existing.data) };
    }
    const firstSeenAt = existing ? toArticle(existing.data).firstSeenAt : now;
    for (let length = 8; ; length += 2) {
      const { article, body, values } = articleRow(
        input,
        existing?.id ?? articleIdFor(input.key, length),
        firstSeenAt,
        now,
      );
      const remember = (num: number | string) => {
        if (previousKey && previousKey !== input.key) rows.delete(previousKey);
        rows.set(input.key, {
          num,
          id: article.id,
          key: article.key,
          content_hash: article.contentHash,
          data: values.data as string,
        });
      };
      if (existing) {
        await updateArticle(trx, { ...values, num: existing.num });
        await dialect.indexArticle(trx, existing.num, article.title, body, true);
        remember(existing.num);
        return { status: 'updated', article };
      }
      const [inserted] = await insertArticle(trx, { ...values, id: article.id, first_seen_at: now });
      if (inserted) {
        await dialect.indexArticle(trx, inserted.num, article.title, body, false);
        remember(inserted.num);
        return { status: 'new', article };
      }
      // Another replica stored this key a moment ago (treat it as existing), or the short id
      // belongs to a different key (take a longer one).
      const raced = (await known(trx, [input.key])).get(input.key);
      if (raced) {
        rows.set(input.key, raced);
        return upsertOne(trx, rows, input, now);
      }
    }
  }

  function upsertBatch(inputs: ArticleInput[], now: string): Promise<UpsertResult[]> {
    return inTransaction(db, dialect.begin, async (trx) => {
      const rows = await known(
        trx,
        inputs.flatMap((input) => (input.previousKey ? [input.key, input.previousKey] : [input.key])),
      );
      const results: UpsertResult[] = [];
      // A new article stays 'new' until its fan-out is done, even if it changes meanwhile.
      const outbox = new Map<string, 'new' | 'updated'>();
      const fresh = await insertFresh(trx, rows, inputs, now);
      for (const input of inputs) {
        const stored = fresh.get(input.key);
        const result: UpsertResult = stored
          ? { status: 'new', article: stored }
          : await upsertOne(trx, rows, input, now);
        if (result.status === 'updated' || (result.status === 'new' && input.announce !== false)) {
          outbox.set(result.article.id, outbox.get(result.article.id) === 'new' ? 'new' : result.status);
        }
        results.push(result);
      }
      // Same transaction as the articles: a kill before the fan-out leaves them here to redo.
      const entries = [...outbox].map(([article_id, status]) => ({ article_id, status, created_at: now }));
      for (let at = 0; at < entries.length; at += CHUNK) {
        await trx
          .insertInto('article_outbox')
          .values(entries.slice(at, at + CHUNK))
          .onConflict((oc) =>
            oc.column('article_id').doUpdateSet({
              status: sql`CASE WHEN article_outbox.status = 'new' THEN 'new' ELSE excluded.status END`,
            }),
          )
          .execute();
      }
      return results;
    });
  }

  // What every command reads, compiled once: building a query costs more than SQLite takes to answer it.
  const byId = db.selectFrom('articles').select('data').where('id', '=', '').compile();
  const byKey = db.selectFrom('articles').select('data').where('key', '=', '').compile();
  const newest = db
    .selectFrom('articles')
    .select('data')
    .orderBy('sort_date', 'desc')
    .orderBy('num', 'desc')
    .limit(1)
    .compile();
  // The same, for one viewer: parameters are [id, operator, viewer] and [operator, viewer, limit].
  const SPACE = '';
  const byIdFor = db.selectFrom('articles').select('data').where('id', '=', '').where(visibleTo(SPACE)).compile();
  const newestFor = db
    .selectFrom('articles')
    .select('data')
    .where(visibleTo(SPACE))
    .orderBy('sort_date', 'desc')
    .orderBy('num', 'desc')
    .limit(1)
    .compile();
  const run = async <R>(query: CompiledQuery<R>, parameters: unknown[]): Promise<R[]> =>
    (await db.executeQuery<R>({ ...query, parameters })).rows;

  return {
    async upsert(input, now = new Date().toISOString()) {
      return (await upsertBatch([input], now))[0]!;
    },
    async upsertMany(inputs, now = new Date().toISOString()) {
      return inputs.length === 0 ? [] : upsertBatch(inputs, now);
    },
    async get(id, viewer) {
      const wanted = id.trim().toLowerCase();
      const [row] =
        viewer === undefined ? await run(byId, [wanted]) : await run(byIdFor, [wanted, OPERATOR_SPACE, viewer]);
      return row ? toArticle(row.data) : undefined;
    },
    async getByKey(key) {
      const [row] = await run(byKey, [key]);
      return row ? toArticle(row.data) : undefined;
    },
    async latest(limit, viewer) {
      const rows =
        viewer === undefined ? await run(newest, [limit]) : await run(newestFor, [OPERATOR_SPACE, viewer, limit]);
      return rows.map((row) => toArticle(row.data));
    },
    async search(text, limit, viewer) {
      return (await dialect.search(db, text, limit, viewer)).map(toArticle);
    },
    async suggest(typed, limit, viewer) {
      const text = typed.trim();
      const titles = () => db.selectFrom('articles').select(['id', 'title']).where(visibleTo(viewer));
      if (!text) return titles().orderBy('sort_date', 'desc').orderBy('num', 'desc').limit(limit).execute();
      const lower = text.toLowerCase();
      // Only [0-9a-z] gets here, so the typed text cannot carry LIKE wildcards.
      const byPrefix = ID_PREFIX.test(lower)
        ? await titles().where('id', 'like', `${lower}%`).orderBy('sort_date', 'desc').limit(limit).execute()
        : [];
      const byTitle = await dialect.titlesMatching(db, text, limit, viewer);
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
          await trx
            .deleteFrom('article_outbox')
            .where('article_id', 'in', ids.slice(at, at + 500))
            .execute();
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
