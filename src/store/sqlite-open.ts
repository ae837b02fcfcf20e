import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { NewsdeskError } from '../domain/errors.js';
import type { Stores } from './ports.js';
import { storageReason } from './sqlite-errors.js';
import { createSqliteArticleStore } from './sqlite-articles.js';
import { createSqliteDeliveryStore } from './sqlite-deliveries.js';
import { claimsMigration, coreMigrations, migrate, outboxMigration, type Migration } from './sqlite-migrations.js';
import { createSqliteFileIndexStore, createSqliteMetaStore } from './sqlite-small-stores.js';
import { createSqliteSubscriptionStore, subscriptionsMigration } from './sqlite-subscriptions.js';
import { createSqliteFeedStore, feedsMigration } from './sqlite-feeds.js';

export interface SqliteStores extends Stores {
  /** The raw handle, for stores that live beside the core ones (feeds, subscriptions). */
  db: Database.Database;
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

function explain(err: unknown, path: string): NewsdeskError {
  return new NewsdeskError('storage', `cannot open database ${path}: ${storageReason(err)}`, { code: (err as { code?: string }).code }, { cause: err });
}

/** Open (creating if needed) the SQLite database, migrate it, and build the stores over it. */
export function openSqliteStores(path: string, extraMigrations: Migration[] = [], options: { busyTimeoutMs?: number } = {}): SqliteStores {
  let db: Database.Database;
  try {
    if (path !== ':memory:') ensureFolder(dirname(path));
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5_000 });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, [...coreMigrations, { version: 4, name: 'feeds', up: feedsMigration }, subscriptionsMigration, outboxMigration, claimsMigration, ...extraMigrations]);
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
    feeds: createSqliteFeedStore(db),
    async close() {
      if (db.open) db.close();
    },
  };
}
