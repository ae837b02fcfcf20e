import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBounded } from '../../src/ingest/files/read-bounded.js';
import { createFileIngester, type FileIngester } from '../../src/ingest/ingest-files.js';
import { insideFolder, watchArticles } from '../../src/ingest/watch-articles.js';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import { ledgerWithArticles } from '../delivery/support/scripted-adapter.js';

const GOOD = 'Council opens the new bridge\n\nBy Jane Doe\n\nThe bridge opened on Monday. Traffic moved at once.\n';
const SECRET = 'Secret outside the folder\n\nThis file lives outside ARTICLES_DIR. It must never be read.\n';

/** Settles within `ms` or fails: a FIFO that blocks the open would hang here. */
const within = <T>(ms: number, work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)),
  ]);

describe('article files: symlinks, FIFOs and devices are skipped on every path', () => {
  let root: string;
  let dir: string;
  let stores: SqliteStores;
  let close: () => Promise<void>;
  let lines: Record<string, unknown>[];
  let ingester: FileIngester;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'newsdesk-hostile-files-'));
    dir = join(root, 'articles');
    mkdirSync(dir);
    mkdirSync(join(root, 'outside'));
    writeFileSync(join(root, 'outside', 'secret.txt'), SECRET);
    writeFileSync(join(dir, 'good.txt'), GOOD);
    symlinkSync(join(root, 'outside', 'secret.txt'), join(dir, 'leak.txt'));
    symlinkSync(join(root, 'outside'), join(dir, 'linkdir'));
    symlinkSync('/dev/zero', join(dir, 'zero.txt'));
    execFileSync('mkfifo', [join(dir, 'x.txt')]);
    ({ stores, close } = await ledgerWithArticles(0));
    lines = [];
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    ingester = createFileIngester({ stores, log, timeZone: 'UTC' });
  });
  afterEach(async () => {
    await close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the folder scan ingests the regular file only', async () => {
    const counts = await within(5_000, ingester.ingestPath(dir));
    expect(counts).toMatchObject({ new: 1, rejected: [] });
    expect((await stores.articles.latest(10)).map((article) => article.title)).toEqual([
      'Council opens the new bridge',
    ]);
  });

  it.each(['leak.txt', 'zero.txt', 'x.txt'])(
    'the single-file path skips %s without reading or blocking',
    async (name) => {
      const counts = await within(3_000, ingester.ingestPath(join(dir, name)));
      expect(counts).toEqual({ new: 0, updated: 0, unchanged: 0, rejected: [] });
      expect(await stores.articles.count()).toBe(0);
    },
  );

  it('the watcher never follows a symlinked folder out of ARTICLES_DIR', async () => {
    expect(await insideFolder(join(dir, 'good.txt'), dir)).toBe(true);
    expect(await insideFolder(join(dir, 'linkdir', 'secret.txt'), dir)).toBe(false);
  });

  it('the watcher ingests a new regular file but not a new symlink or FIFO', async () => {
    const watcher = watchArticles({ dir, ingester, log: pino({ level: 'silent' }) });
    try {
      symlinkSync(join(root, 'outside', 'secret.txt'), join(dir, 'late-leak.txt'));
      execFileSync('mkfifo', [join(dir, 'late.txt')]);
      writeFileSync(join(dir, 'fresh.txt'), GOOD.replace('bridge', 'tunnel'));
      const deadline = Date.now() + 5_000;
      while (Date.now() < deadline && (await stores.articles.count()) < 1) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 600));
      const titles = (await stores.articles.latest(10)).map((article) => article.title);
      expect(titles).toEqual(['Council opens the new tunnel']);
    } finally {
      watcher.close();
    }
  });

  it('a bad file is warned about once per content version, not on every rescan', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"body": "no title"}');
    for (let scan = 0; scan < 3; scan++) await ingester.ingestPath(dir);
    const warnings = () =>
      lines.filter((line) => line.msg === 'article file rejected' && String(line.file).endsWith('bad.json'));
    expect(warnings()).toHaveLength(1);
    expect(lines.filter((line) => line.msg === 'article file still rejected')).toHaveLength(2);
    writeFileSync(join(dir, 'bad.json'), '{"body": "still no title, but longer"}');
    await ingester.ingestPath(dir);
    expect(warnings()).toHaveLength(2);
  });
});

describe('readBounded counts bytes as they are read', () => {
  it('a file whose stat size is 0 is still held to the limit', async () => {
    // /proc files report size 0 and hold hundreds of bytes: only counting catches that.
    await expect(readBounded('/proc/self/status', 16)).rejects.toThrow(/larger than/);
    expect((await readBounded('/proc/self/status', 1 << 20)).length).toBeGreaterThan(16);
  });

  it('a device or FIFO opened directly is refused at once', async () => {
    await expect(within(2_000, readBounded('/dev/zero', 1 << 20))).rejects.toThrow('not a regular file');
    const root = mkdtempSync(join(tmpdir(), 'newsdesk-fifo-'));
    try {
      execFileSync('mkfifo', [join(root, 'pipe.txt')]);
      await expect(within(2_000, readBounded(join(root, 'pipe.txt'), 1 << 20))).rejects.toThrow('not a regular file');
      symlinkSync('/dev/zero', join(root, 'zero.txt'));
      await expect(within(2_000, readBounded(join(root, 'zero.txt'), 1 << 20))).rejects.toThrow('symbolic link');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
