import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createExecutor, type Executor } from '../../commands/execute.js';
import type { Invocation } from '../../src/domain/invocation.js';
import { createFileIngester, type FileIngester } from '../../src/ingest/ingest-files.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { seedPath, tempDir } from './paths.js';

export const silentLog = pino({ level: 'silent' });

/** A temp SQLite store and articles folder holding the seed, ingested. */
export async function seededRuntime(): Promise<{
  stores: SqliteStores;
  ingester: FileIngester;
  execute: Executor;
  articlesDir: string;
  seedId: string;
  cleanup: () => Promise<void>;
}> {
  const { dir, cleanup } = tempDir();
  const articlesDir = join(dir, 'articles');
  mkdirSync(articlesDir);
  copyFileSync(seedPath, join(articlesDir, 'seed.txt'));
  const stores = openSqliteStores(join(dir, 'test.db'));
  const ingester = createFileIngester({ stores, log: silentLog, timeZone: 'UTC' });
  await ingester.ingestPath(articlesDir);
  const [seed] = await stores.articles.latest(1);
  return {
    stores,
    ingester,
    execute: createExecutor({ stores, log: silentLog }),
    articlesDir,
    seedId: seed!.id,
    cleanup: async () => {
      await stores.close();
      cleanup();
    },
  };
}

export function invocation(
  sub: string,
  args: Record<string, string> = {},
  overrides: Partial<Invocation> = {},
): Invocation {
  return {
    command: 'news',
    sub,
    args,
    user: { platform: 'console', id: 'u1', canManage: false },
    channel: 'console:main',
    ...overrides,
  };
}
