import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NewsdeskError } from '../domain/errors.js';
import type { Stores } from './ports.js';
import { createSqliteArticleStore } from './sqlite-articles.js';
import { createSqliteDeliveryStore } from './sqlite-deliveries.js';
import { coreMigrations, migrate, type Migration } from './sqlite-migrations.js';
import { createSqliteFileIndexStore, createSqliteMetaStore } from './sqlite-small-stores.js';
import { createSqliteSubscriptionStore, subscriptionsMigration } from './sqlite-subscriptions.js';
import { feedsMigration } from './sqlite-feeds.js';

export interface SqliteStores extends Stores {
  /** The raw handle, for stores that live beside the core ones (feeds, subscriptions). */
  db: Database.Database;
}

/** The path in a `sqlite:<path>` DATABASE_URL. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^sqlite:(\/\/)?/, '');
}

function explain(err: unknown, path: string): NewsdeskError {
  const code = (err as { code?: string }).code ?? '';
  const reason =
    code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
      ? 'the database is locked by another process'
      : code === 'SQLITE_READONLY' || code === 'EROFS' || code === 'EACCES'
        ? 'the database folder is not writable (mount a writable volume there)'
        : code === 'SQLITE_FULL' || code === 'ENOSPC'
          ? 'the disk is full'
          : code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB'
            ? 'the file is not a newsdesk database or is corrupt'
            : (err as Error).message;
  return new NewsdeskError('storage', `cannot open database ${path}: ${reason}`, { code }, { cause: err });
}

/** Open (creating if needed) the SQLite database, migrate it, and build the stores over it. */
export function openSqliteStores(path: string, extraMigrations: Migration[] = []): SqliteStores {
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path, { timeout: 5_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, [...coreMigrations, { version: 4, name: 'feeds', up: feedsMigration }, subscriptionsMigration, ...extraMigrations]);
  } catch (err) {
    throw explain(err, path);
  }
  return {
    db,
    articles: createSqliteArticleStore(db),
    deliveries: createSqliteDeliveryStore(db),
    meta: createSqliteMetaStore(db),
    files: createSqliteFileIndexStore(db),
    subscriptions: createSqliteSubscriptionStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
