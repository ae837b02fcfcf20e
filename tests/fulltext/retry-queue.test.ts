import { join } from 'node:path';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { tempDir } from '../support/paths.js';
import { retryQueueContract } from './retry-queue-contract.js';

// The PostgreSQL run of this contract lives in tests/store/postgres-store.test.ts, beside its cluster.
retryQueueContract('sqlite', async () => {
  const { dir, cleanup } = tempDir();
  const stores = openSqliteStores(join(dir, 'retries.db'));
  return {
    store: stores.fullTextRetries,
    cleanup: async () => {
      await stores.close();
      cleanup();
    },
  };
});
