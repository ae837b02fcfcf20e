import { join } from 'node:path';
import { createExecutor } from '../../commands/execute.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { tempDir } from '../support/paths.js';
import { silentLog } from '../support/runtime.js';
import { startHarness, type Harness } from './harness.js';

/**
 * The Slack harness over a real SQLite file and the real command executor, with feed commands
 * whose host names resolve to a public address (no network). `close` stops it all and removes the file.
 */
export async function startStoreHarness(options: {
  adminUserIds: string[];
}): Promise<{ h: Harness; stores: SqliteStores; close: () => Promise<void> }> {
  const dir = tempDir();
  const stores = openSqliteStores(join(dir.dir, 'news.db'));
  const feeds = createFeedCommandsPort({
    feedStore: stores.feeds,
    allowPrivate: false,
    resolve: async () => [{ address: '93.184.216.34', family: 4 }],
  });
  const h = await startHarness({
    stores,
    adminUserIds: options.adminUserIds,
    execute: createExecutor({ stores, log: silentLog, feeds }),
  });
  return {
    h,
    stores,
    async close() {
      await h.close();
      await stores.close();
      dir.cleanup();
    },
  };
}
