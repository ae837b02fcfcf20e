import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { makeInput } from '../support/articles.js';
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
    expect(db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(
      expect.arrayContaining([1, 2, 3, 5]),
    );
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

describe('sqlite writes and opening', () => {
  it('a write waits for another connection holding the write lock instead of failing (BEGIN IMMEDIATE)', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'busy.db');
    const stores = openSqliteStores(path, [], { busyTimeoutMs: 10_000 });
    // Another process: better-sqlite3 waits synchronously, so a holder in this thread could never let go.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `
      const db = new (require('better-sqlite3'))(${JSON.stringify(path)});
      db.exec('BEGIN IMMEDIATE');
      db.prepare("INSERT INTO meta (key, value) VALUES ('holder', 'yes')").run();
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);
    `,
      ],
      { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = performance.now();
    const results = await Promise.all([
      stores.articles.upsert(makeInput({ title: 'Written while locked' })),
      stores.deliveries.enqueue('a1', ['discord:1' as never]),
      stores.files.setFiles([{ path: '/a/b.txt', mtimeMs: 1, size: 2, articleKey: 'k' }]),
    ]);
    const waited = performance.now() - started;
    expect(results[0].status).toBe('new');
    expect(results[1]).toBe(1);
    expect(waited).toBeGreaterThan(100);
    expect(await stores.meta.getMeta('holder')).toBe('yes');
    await new Promise((resolve) => holder.once('exit', resolve));
    await stores.close();
    cleanup();
  });

  it('names DATABASE_URL in one line when the path is a folder, a corrupt file or in an unwritable folder', () => {
    const { dir, cleanup } = tempDir();
    mkdirSync(join(dir, 'folder.db'));
    expect(() => openSqliteStores(join(dir, 'folder.db'))).toThrow(
      `cannot open database ${join(dir, 'folder.db')} (DATABASE_URL): the path is a folder, not a database file`,
    );
    writeFileSync(join(dir, 'junk.db'), 'x'.repeat(4096));
    expect(() => openSqliteStores(join(dir, 'junk.db'))).toThrow(
      /^cannot open database .*junk\.db \(DATABASE_URL\): the file is not a newsdesk/,
    );
    const locked = join(dir, 'ro');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      if (process.getuid?.() !== 0) {
        expect(() => openSqliteStores(join(locked, 'sub', 'n.db'))).toThrow(
          /\(DATABASE_URL\): the database folder is not writable/,
        );
      }
    } finally {
      chmodSync(locked, 0o700);
      cleanup();
    }
  });
});
