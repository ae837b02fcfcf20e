import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStores } from '../../src/store/postgres-open.js';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { tempDir } from '../support/paths.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { spacesContract } from './spaces-contract.js';

spacesContract('sqlite', async () => {
  const { dir, cleanup } = tempDir();
  const stores = openSqliteStores(join(dir, 'spaces.db'));
  return {
    one: stores,
    two: stores,
    close: async () => {
      await stores.close();
      cleanup();
    },
  };
});

const plan = postgresPlanFor('PostgreSQL spaces tests');
describe.skipIf(plan.kind === 'none')('postgres, two replicas', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => server?.close());
  spacesContract('postgres', async () => {
    const schema = await server.freshSchema();
    const one = await openPostgresStores(server.url, { schema });
    const two = await openPostgresStores(server.url, { schema });
    return {
      one,
      two,
      close: async () => {
        await one.close();
        await two.close();
      },
    };
  });
});
