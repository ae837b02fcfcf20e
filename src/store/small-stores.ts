import { sql } from 'kysely';
import { compileOnce } from './compiled.js';
import { inTransaction, type Db } from './connections.js';
import type { StoreDialect } from './dialect.js';
import type { FileIndexStore, FileRecord, MetaStore } from './ports.js';

export function createMetaStore(db: Db): MetaStore {
  return {
    async getMeta(key) {
      return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
    },
    async setMeta(key, value) {
      await db
        .insertInto('meta')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}

const toRecord = (row: { path: string; mtime_ms: number; size: number | string; article_key: string }): FileRecord => ({
  path: row.path,
  mtimeMs: Number(row.mtime_ms),
  size: Number(row.size),
  articleKey: row.article_key,
});

const CHUNK = 500;

export function createFileIndexStore(db: Db, dialect: StoreDialect): FileIndexStore {
  const files = () => db.selectFrom('article_files').select(['path', 'mtime_ms', 'size', 'article_key']);
  // Asked once per article file on every scan, so compiled once (compiled.ts).
  const fileAt = compileOnce<'path', Parameters<typeof toRecord>[0]>((p) => files().where('path', '=', p('path')));
  return {
    async getFile(path) {
      const [row] = await fileAt(db, { path });
      return row ? toRecord(row) : undefined;
    },
    async setFiles(records) {
      // The last record wins when a path repeats, as in a loop of upserts.
      const rows = [...new Map(records.map((record) => [record.path, record])).values()].map((r) => ({
        path: r.path,
        mtime_ms: r.mtimeMs,
        size: r.size,
        article_key: r.articleKey,
      }));
      if (rows.length === 0) return;
      await inTransaction(db, dialect.begin, async (trx) => {
        for (let at = 0; at < rows.length; at += CHUNK) {
          await trx
            .insertInto('article_files')
            .values(rows.slice(at, at + CHUNK))
            .onConflict((oc) =>
              oc.column('path').doUpdateSet({
                mtime_ms: (eb) => eb.ref('excluded.mtime_ms'),
                size: (eb) => eb.ref('excluded.size'),
                article_key: (eb) => eb.ref('excluded.article_key'),
              }),
            )
            .execute();
        }
      });
    },
    async filesUnder(folder) {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      // substr, not LIKE: a folder name may hold % or _.
      const rows = await files()
        .where(sql`substr(path, 1, ${[...prefix].length})`, '=', prefix)
        .orderBy('path')
        .execute();
      return rows.map(toRecord);
    },
    async removeFile(path) {
      await db.deleteFrom('article_files').where('path', '=', path).execute();
    },
  };
}
