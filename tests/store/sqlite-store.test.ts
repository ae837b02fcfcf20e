import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { tempDir } from '../support/paths.js';
import { storeContract } from './store-contract.js';

storeContract('sqlite', async () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'data', 'test.db');
  return { stores: openSqliteStores(path), reopen: async () => openSqliteStores(path), cleanup: async () => cleanup() };
});

describe('sqlite specifics', () => {
  it('uses WAL, records migrations and has the indexes', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'n.db');
    const stores = openSqliteStores(path);
    await stores.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.prepare("SELECT version FROM schema_version ORDER BY version").pluck().all()).toEqual(expect.arrayContaining([1, 2, 3, 5]));
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).toEqual(expect.arrayContaining(['articles_newest', 'deliveries_due']));
    db.close();
    cleanup();
  });

  it('explains a database it cannot open', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'not-a-db.db');
    writeFileSync(path, 'this is not sqlite'.repeat(100));
    expect(() => openSqliteStores(path)).toThrow(/not a newsdesk database or is corrupt/);
    cleanup();
  });
});
