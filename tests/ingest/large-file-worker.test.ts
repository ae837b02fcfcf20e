import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { createFileIngester, MAIN_THREAD_MAX_BYTES } from '../../src/ingest/ingest-files.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { createParsePool, type ParsePool } from '../../src/ingest/parse-pool.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { HOSTILE_CORPUS } from '../hostile/corpus.js';
import { tempDir } from '../support/paths.js';

const SMALL = 'Council opens the new bridge\n\nBy Jane Doe\n\nThe bridge opened on Monday. Traffic moved at once.\n';

describe('a single large article file is parsed off the main thread', () => {
  let dir: string;
  let cleanup: () => void;
  let stores: SqliteStores;
  /** Every pool the ingester started, with its size and the files sent to it. */
  let pools: { size: number | undefined; files: string[]; closed: boolean }[];
  const watchedPool = (size?: number): ParsePool => {
    const real = createParsePool(size);
    const seen = { size, files: [] as string[], closed: false };
    pools.push(seen);
    return {
      parse: (job) => {
        seen.files.push('path' in job ? job.path : job.draft.key);
        return real.parse(job);
      },
      close: async () => {
        seen.closed = true;
        await real.close();
      },
    };
  };

  beforeEach(() => {
    ({ dir, cleanup } = tempDir('newsdesk-large-file-'));
    stores = openSqliteStores(join(dir, 'n.db'));
    pools = [];
  });
  afterEach(async () => {
    await stores.close();
    cleanup();
  });

  it('the hostile 8,000 sentences go to one worker and are stored as the main thread would store them', async () => {
    const entry = HOSTILE_CORPUS.find((c) => c.name.startsWith('8,000 sentences'))!;
    const bytes = entry.bytes();
    expect(bytes.length).toBeGreaterThan(MAIN_THREAD_MAX_BYTES);
    const file = join(dir, entry.file!);
    writeFileSync(file, bytes);
    const ingester = createFileIngester({
      stores,
      log: pino({ level: 'silent' }),
      timeZone: 'UTC',
      createPool: watchedPool,
    });

    expect(await ingester.ingestPath(file)).toMatchObject({ new: 1, rejected: [] });
    expect(pools).toEqual([{ size: 1, files: [file], closed: true }]);
    const [stored] = await stores.articles.latest(1);
    const here = enrichDraft(parseArticleFile({ path: file, bytes, timeZone: 'UTC' }));
    expect(stored).toMatchObject({ title: here.title, summary: here.summary, sources: here.sources });
    expect(stored!.contentHash).toBe(here.contentHash);
    expect(stored!.summary.sentences.length).toBeGreaterThan(0);
  });

  it('a small file stays on the main thread, and a bad large one is still rejected with its reason', async () => {
    writeFileSync(join(dir, 'small.txt'), SMALL);
    // Large but binary: the worker's parser refuses it, and the scan carries on.
    writeFileSync(join(dir, 'large.txt'), Buffer.alloc(MAIN_THREAD_MAX_BYTES + 1, 0));
    const ingester = createFileIngester({
      stores,
      log: pino({ level: 'silent' }),
      timeZone: 'UTC',
      createPool: watchedPool,
    });

    const counts = await ingester.ingestPath(dir);
    expect(counts.new).toBe(1);
    expect(counts.rejected).toHaveLength(1);
    expect(counts.rejected[0]!.file).toBe(join(dir, 'large.txt'));
    expect(counts.rejected[0]!.reason).toMatch(/binary|text|UTF-8|empty/i);
    expect(pools).toEqual([{ size: 1, files: [join(dir, 'large.txt')], closed: true }]);
    expect((await stores.articles.latest(5)).map((a) => a.title)).toEqual(['Council opens the new bridge']);
  });
});
