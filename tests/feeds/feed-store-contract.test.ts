import { join } from 'node:path';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { tempDir } from '../support/paths.js';
import { feedStoreContract } from './feed-store-contract.js';

// The PostgreSQL run of this contract lives in tests/store/postgres-store.test.ts, beside the
// cluster that file starts.
feedStoreContract('sqlite', async () => {
  const { dir, cleanup } = tempDir();
  const stores = openSqliteStores(join(dir, 'feeds.db'));
  return {
    feeds: stores.feeds,
    cleanup: async () => {
      await stores.close();
      cleanup();
    },
  };
});
