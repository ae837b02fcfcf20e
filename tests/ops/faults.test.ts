import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createFileIngester } from '../../src/ingest/ingest-files.js';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { runBot } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';
import { silentLog } from '../support/runtime.js';
import { makeInput } from '../support/articles.js';
import { mountTmpfs } from '../support/tmpfs.js';

const probe = mountTmpfs({ sizeKb: 64 });
probe?.cleanup();
if (!probe) console.warn('[skip] file-system fault tests need root and mount(8); skipped here');

describe('storage faults', () => {
  it.skipIf(!probe)('a read-only file system stops start-up with one clear line', async () => {
    const ro = mountTmpfs({ sizeKb: 64, readOnly: true })!;
    const { dir, cleanup } = tempDir();
    try {
      const run = await runBot('main', [], {
        DATABASE_URL: `sqlite:${join(ro.dir, 'data', 'newsdesk.db')}`,
        ARTICLES_DIR: dir,
        PORT: '0',
      });
      expect(run.code).toBe(1);
      // pino's JSON log lines may land after the message (its stream flushes asynchronously): look past them.
      const said = run.stderr
        .trim()
        .split('\n')
        .filter((line) => !line.startsWith('{'));
      expect(said).toHaveLength(1);
      expect(said[0]).toBe(
        `newsdesk: cannot open database ${join(ro.dir, 'data', 'newsdesk.db')} (DATABASE_URL): the database folder is not writable (mount a writable volume there)`,
      );
    } finally {
      ro.cleanup();
      cleanup();
    }
  });

  it.skipIf(!probe)('a full disk rejects what does not fit, says why, and corrupts nothing', async () => {
    const small = mountTmpfs({ sizeKb: 384 })!;
    const { dir: articles, cleanup } = tempDir();
    try {
      const body = Array.from(
        { length: 40 },
        (_, i) => `Paragraph ${i} says something about the budget and the council meeting that ran long.`,
      ).join('\n\n');
      for (let i = 0; i < 300; i += 1)
        writeFileSync(
          join(articles, `a${String(i).padStart(3, '0')}.txt`),
          `Story ${i} about the budget\n\nBy Jane Doe\n\n${body}\n`,
        );
      const stores = openSqliteStores(join(small.dir, 'full.db'));
      const counts = await createFileIngester({ stores, log: silentLog, timeZone: 'UTC' }).ingestPath(articles);
      expect(counts.rejected.length).toBeGreaterThan(0);
      expect(counts.rejected[0]?.reason).toMatch(/the disk is full/);
      const stored = await stores.articles.count();
      expect(stored).toBe(counts.new);
      await stores.close();
      const db = new Database(join(small.dir, 'full.db'), { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM articles').pluck().get()).toBe(stored);
      db.close();
    } finally {
      small.cleanup();
      cleanup();
    }
  });

  it('a database locked by another process gets a clear error at open, not a hang', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'locked.db');
    const other = new Database(path);
    other.exec('CREATE TABLE held (x); BEGIN EXCLUSIVE; INSERT INTO held VALUES (1);');
    try {
      expect(() => openSqliteStores(path, [], { busyTimeoutMs: 200 })).toThrow(
        `cannot open database ${path} (DATABASE_URL): the database is locked by another process`,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
      cleanup();
    }
  });

  it('a write while another process holds the write lock fails clearly and leaves the store usable', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'busy.db');
    const stores = openSqliteStores(path, [], { busyTimeoutMs: 200 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      await expect(stores.articles.upsert(makeInput({ title: 'Blocked' }))).rejects.toThrow(
        'cannot store the article: the database is locked by another process',
      );
      expect(await stores.articles.count()).toBe(0);
      other.exec('ROLLBACK');
      expect((await stores.articles.upsert(makeInput({ title: 'Later' }))).status).toBe('new');
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await stores.close();
      cleanup();
    }
  });

  it('a folder that is not there is reported and the bot carries on', async () => {
    const { dir, cleanup } = tempDir();
    mkdirSync(join(dir, 'data'));
    const run = await runBot(
      'main',
      [],
      { DATABASE_URL: `sqlite:${join(dir, 'data', 'n.db')}`, ARTICLES_DIR: join(dir, 'missing'), PORT: '0' },
      '/news latest\n',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('cannot read articles');
    expect(run.stdout).toContain('No articles yet');
    cleanup();
  });
});
