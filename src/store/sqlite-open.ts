import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NewsdeskError } from '../domain/errors.js';
import { buildStores } from './build-stores.js';
import { sqliteKysely, type Db } from './connections.js';
import { migrationSql, migrations, pending, SCHEMA_VERSION_DDL, type Migration } from './migrations.js';
import type { Stores } from './ports.js';
import { createSqliteDialect } from './sqlite-dialect.js';
import { storageReason } from './sqlite-errors.js';

export interface SqliteStores extends Stores {
  /** The raw handle, for tests and tools that look at the file directly. */
  db: Database.Database;
  kysely: Db;
}

/** The path in a `sqlite:<path>` DATABASE_URL. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^sqlite:(\/\/)?/, '');
}

/** mkdir -p that reports why a folder cannot be made (Node says ENOENT on a read-only file system). */
function ensureFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true });
  } catch (err) {
    let parent = folder;
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    accessSync(parent, constants.W_OK);
    throw err;
  }
}

/** Apply what is missing, each migration in its own write transaction, recorded in schema_version. */
function migrate(db: Database.Database, list: Migration[]): void {
  db.exec(SCHEMA_VERSION_DDL);
  const applied = new Set(db.prepare('SELECT version FROM schema_version').pluck().all() as number[]);
  for (const migration of pending(list, applied)) {
    db.transaction(() => {
      db.exec(migrationSql(migration, 'sqlite'));
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        new Date().toISOString(),
      );
    }).immediate();
  }
}

function explain(err: unknown, path: string): NewsdeskError {
  const code = (err as { code?: string }).code;
  const reason = code === 'EISDIR' ? 'the path is a folder, not a database file' : storageReason(err);
  return new NewsdeskError(
    'storage',
    `cannot open database ${path} (DATABASE_URL): ${reason}`,
    { code },
    { cause: err },
  );
}

/**
 * Open (creating if needed) the SQLite database, migrate it, and build the stores over it.
 * Synchronous: better-sqlite3 is, and callers open the store before anything else runs.
 */
export function openSqliteStores(
  path: string,
  extraMigrations: Migration[] = [],
  options: { busyTimeoutMs?: number } = {},
): SqliteStores {
  let db: Database.Database;
  try {
    if (path !== ':memory:') ensureFolder(dirname(path));
    if (path !== ':memory:' && existsSync(path) && statIsFolder(path))
      throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5_000 });
  } catch (err) {
    throw explain(err, path);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, [...migrations, ...extraMigrations]);
  } catch (err) {
    db.close();
    throw explain(err, path);
  }
  const kysely = sqliteKysely(db);
  return {
    db,
    kysely,
    ...buildStores(kysely, createSqliteDialect()),
    async close() {
      if (!db.open) return;
      await kysely.destroy();
      if (db.open) db.close();
    },
  };
}

function statIsFolder(path: string): boolean {
  return statSync(path).isDirectory();
}
