import type { Database, Statement } from 'better-sqlite3';
import type { Article } from '../domain/article.js';
import { sortDate } from '../domain/article.js';
import { articleIdFor } from '../ingest/article-key.js';
import type { ArticleInput, ArticleStore, ArticleTitle, UpsertResult } from './ports.js';
import { toFtsQuery } from './fts-query.js';
import { guarded } from './sqlite-errors.js';

interface ArticleRow {
  num: number;
  id: string;
  key: string;
  content_hash: string;
  data: string;
}

function toArticle(row: { data: string }): Article {
  return JSON.parse(row.data) as Article;
}

function bodyText(article: Article): string {
  return article.body.map((block) => block.text).join('\n');
}

export function createSqliteArticleStore(db: Database): ArticleStore {
  const byKey = db.prepare('SELECT num, id, key, content_hash, data FROM articles WHERE key = ?') as Statement<[string], ArticleRow>;
  const byId = db.prepare('SELECT data FROM articles WHERE id = ?') as Statement<[string], { data: string }>;
  const idTaken = db.prepare('SELECT 1 FROM articles WHERE id = ?').pluck() as Statement<[string], number>;
  const insert = db.prepare(
    `INSERT INTO articles (id, key, title, sort_date, origin_path, content_hash, data, first_seen_at, updated_at)
     VALUES (@id, @key, @title, @sortDate, @originPath, @contentHash, @data, @firstSeenAt, @updatedAt)`,
  );
  const update = db.prepare(
    `UPDATE articles SET key = @key, title = @title, sort_date = @sortDate, origin_path = @originPath,
       content_hash = @contentHash, data = @data, updated_at = @updatedAt WHERE num = @num`,
  );
  const ftsDelete = db.prepare('DELETE FROM articles_fts WHERE rowid = ?');
  const ftsInsert = db.prepare('INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)');
  const newest = db.prepare('SELECT data FROM articles ORDER BY sort_date DESC, num DESC LIMIT ?') as Statement<[number], { data: string }>;
  const search = db.prepare(
    `SELECT a.data FROM articles_fts f JOIN articles a ON a.num = f.rowid
     WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 1.0), a.sort_date DESC LIMIT ?`,
  ) as Statement<[string, number], { data: string }>;
  const titlesByIdPrefix = db.prepare(`SELECT id, title FROM articles WHERE id LIKE ? || '%' ORDER BY sort_date DESC LIMIT ?`) as Statement<[string, number], ArticleTitle>;
  const titlesNewest = db.prepare('SELECT id, title FROM articles ORDER BY sort_date DESC, num DESC LIMIT ?') as Statement<[number], ArticleTitle>;
  const titlesMatching = db.prepare(
    `SELECT a.id, a.title FROM articles_fts f JOIN articles a ON a.num = f.rowid
     WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts), a.sort_date DESC LIMIT ?`,
  ) as Statement<[string, number], ArticleTitle>;
  const count = db.prepare('SELECT count(*) FROM articles').pluck() as Statement<[], number>;

  function freshId(key: string): string {
    for (let length = 8; ; length += 2) {
      const id = articleIdFor(key, length);
      if (!idTaken.get(id)) return id;
    }
  }

  function upsertOne(input: ArticleInput, now: string): UpsertResult {
    const { previousKey, announce: _announce, ...draft } = input;
    const existing = byKey.get(input.key) ?? (previousKey ? byKey.get(previousKey) : undefined);
    if (existing && existing.content_hash === input.contentHash && existing.key === input.key) {
      return { status: 'unchanged', article: toArticle(existing) };
    }
    const earlier = existing ? toArticle(existing) : undefined;
    const article: Article = {
      ...draft,
      id: existing?.id ?? freshId(input.key),
      firstSeenAt: earlier?.firstSeenAt ?? now,
      updatedAt: now,
    };
    const row = {
      id: article.id,
      key: article.key,
      title: article.title,
      sortDate: sortDate(article),
      originPath: article.origin.kind === 'file' ? article.origin.path : null,
      contentHash: article.contentHash,
      data: JSON.stringify(article),
      firstSeenAt: article.firstSeenAt,
      updatedAt: now,
    };
    let num: number;
    if (existing) {
      update.run({ ...row, num: existing.num });
      ftsDelete.run(existing.num);
      num = existing.num;
    } else {
      num = Number(insert.run(row).lastInsertRowid);
    }
    ftsInsert.run(num, article.title, bodyText(article));
    return { status: existing ? 'updated' : 'new', article };
  }

  // A new article stays 'new' in the outbox until its fan-out is done, even if it changes meanwhile.
  const outboxPut = db.prepare(
    `INSERT INTO article_outbox (article_id, status, created_at) VALUES (?, ?, ?)
     ON CONFLICT (article_id) DO UPDATE SET status = CASE WHEN article_outbox.status = 'new' THEN 'new' ELSE excluded.status END`,
  );
  const outboxPending = db.prepare(
    `SELECT o.status, a.data FROM article_outbox o JOIN articles a ON a.id = o.article_id ORDER BY o.created_at, o.article_id LIMIT ?`,
  ) as Statement<[number], { status: 'new' | 'updated'; data: string }>;
  const outboxClear = db.prepare('DELETE FROM article_outbox WHERE article_id = ?');
  const outboxClearAll = db.transaction((ids: string[]) => {
    for (const id of ids) outboxClear.run(id);
  });

  const upsertBatch = db.transaction((inputs: ArticleInput[], now: string) =>
    inputs.map((input) => {
      const result = upsertOne(input, now);
      if (result.status === 'updated' || (result.status === 'new' && input.announce !== false)) outboxPut.run(result.article.id, result.status, now);
      return result;
    }),
  );

  return {
    async upsert(input, now = new Date().toISOString()) {
      return guarded('cannot store the article', () => upsertBatch([input], now)[0]!);
    },
    async upsertMany(inputs, now = new Date().toISOString()) {
      return guarded(`cannot store ${inputs.length} articles`, () => upsertBatch(inputs, now));
    },
    async get(id) {
      const row = byId.get(id);
      return row ? toArticle(row) : undefined;
    },
    async getByKey(key) {
      const row = byKey.get(key);
      return row ? toArticle(row) : undefined;
    },
    async latest(limit) {
      return newest.all(limit).map(toArticle);
    },
    async search(query, limit) {
      const match = toFtsQuery(query);
      return match ? search.all(match, limit).map(toArticle) : [];
    },
    async suggest(typed, limit) {
      const text = typed.trim();
      if (!text) return titlesNewest.all(limit);
      const byPrefix = /^[0-9a-z]{2,12}$/.test(text) ? titlesByIdPrefix.all(text, limit) : [];
      const match = toFtsQuery(text, { prefixLast: true, column: 'title' });
      const byTitle = match ? titlesMatching.all(match, limit) : [];
      const seen = new Set<string>();
      return [...byPrefix, ...byTitle].filter((row) => !seen.has(row.id) && seen.add(row.id)).slice(0, limit);
    },
    async count() {
      return count.get() ?? 0;
    },
    async pendingOutbox(limit) {
      return outboxPending.all(limit).map((row) => ({ status: row.status, article: toArticle(row) }));
    },
    async clearOutbox(ids) {
      guarded('cannot record the fan-out', () => outboxClearAll(ids));
    },
  };
}
