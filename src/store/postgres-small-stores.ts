import type { PgDb } from './postgres-db.js';
import type { FileIndexStore, FileRecord, MetaStore } from './ports.js';

export function createPostgresMetaStore(db: PgDb): MetaStore {
  return {
    async getMeta(key) {
      const [row] = await db.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
      return row?.value;
    },
    async setMeta(key, value) {
      await db.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
  };
}

interface FileRow {
  path: string;
  mtime_ms: number;
  // bigint arrives as a string from pg.
  size: string;
  article_key: string;
}

const toRecord = (row: FileRow): FileRecord => ({ path: row.path, mtimeMs: row.mtime_ms, size: Number(row.size), articleKey: row.article_key });

export function createPostgresFileIndexStore(db: PgDb): FileIndexStore {
  return {
    async getFile(path) {
      const [row] = await db.query<FileRow>('SELECT path, mtime_ms, size, article_key FROM article_files WHERE path = $1', [path]);
      return row ? toRecord(row) : undefined;
    },
    async setFiles(records) {
      if (records.length === 0) return;
      // One statement is one transaction. The last record wins when a path repeats, as in a loop of upserts.
      const latest = new Map(records.map((record) => [record.path, record]));
      const rows = [...latest.values()];
      await db.guard('cannot record article files', () =>
        db.query(
          `INSERT INTO article_files (path, mtime_ms, size, article_key)
           SELECT * FROM unnest($1::text[], $2::float8[], $3::bigint[], $4::text[])
           ON CONFLICT (path) DO UPDATE SET mtime_ms = excluded.mtime_ms, size = excluded.size, article_key = excluded.article_key`,
          [rows.map((r) => r.path), rows.map((r) => r.mtimeMs), rows.map((r) => r.size), rows.map((r) => r.articleKey)],
        ),
      );
    },
    async filesUnder(folder) {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      const rows = await db.query<FileRow>('SELECT path, mtime_ms, size, article_key FROM article_files WHERE starts_with(path, $1) ORDER BY path', [prefix]);
      return rows.map(toRecord);
    },
    async removeFile(path) {
      await db.query('DELETE FROM article_files WHERE path = $1', [path]);
    },
  };
}
