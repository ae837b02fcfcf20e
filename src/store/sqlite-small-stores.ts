import type { Database, Statement } from 'better-sqlite3';
import type { FileIndexStore, FileRecord, MetaStore } from './ports.js';
import { guarded } from './sqlite-errors.js';

export function createSqliteMetaStore(db: Database): MetaStore {
  const get = db.prepare('SELECT value FROM meta WHERE key = ?').pluck() as Statement<[string], string>;
  const set = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  return {
    async getMeta(key) {
      return get.get(key);
    },
    async setMeta(key, value) {
      set.run(key, value);
    },
  };
}

interface FileRow {
  path: string;
  mtime_ms: number;
  size: number;
  article_key: string;
}

const toRecord = (row: FileRow): FileRecord => ({ path: row.path, mtimeMs: row.mtime_ms, size: row.size, articleKey: row.article_key });

export function createSqliteFileIndexStore(db: Database): FileIndexStore {
  const get = db.prepare('SELECT * FROM article_files WHERE path = ?') as Statement<[string], FileRow>;
  const set = db.prepare(
    `INSERT INTO article_files (path, mtime_ms, size, article_key) VALUES (@path, @mtimeMs, @size, @articleKey)
     ON CONFLICT (path) DO UPDATE SET mtime_ms = excluded.mtime_ms, size = excluded.size, article_key = excluded.article_key`,
  );
  const setAll = db.transaction((records: FileRecord[]) => {
    for (const record of records) set.run(record);
  });
  const under = db.prepare(`SELECT * FROM article_files WHERE path >= ? AND path < ?`) as Statement<[string, string], FileRow>;
  const remove = db.prepare('DELETE FROM article_files WHERE path = ?');
  return {
    async getFile(path) {
      const row = get.get(path);
      return row ? toRecord(row) : undefined;
    },
    async setFiles(records) {
      guarded('cannot record article files', () => setAll(records));
    },
    async filesUnder(folder) {
      const prefix = folder.endsWith('/') ? folder : `${folder}/`;
      return under.all(prefix, `${prefix}\uffff`).map(toRecord);
    },
    async removeFile(path) {
      remove.run(path);
    },
  };
}
