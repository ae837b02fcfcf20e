import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { openPostgresStores } from '../../src/store/postgres-open.js';
import { feedStoreContract } from '../feeds/feed-store-contract.js';
import { retryQueueContract } from '../fulltext/retry-queue-contract.js';
import { makeInput } from '../support/articles.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { storeContract } from './store-contract.js';

const plan = postgresPlanFor('PostgreSQL store tests');

describe.skipIf(plan.kind === 'none')(
  `postgres (${plan.kind === 'external' ? 'NEWSDESK_TEST_POSTGRES_URL' : 'throwaway cluster'})`,
  () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startTestPostgres();
    }, 60_000);
    afterAll(async () => server?.close());

    storeContract('postgres', async () => {
      const schema = await server.freshSchema();
      const open = () => openPostgresStores(server.url, { schema });
      return { stores: await open(), reopen: open, cleanup: async () => undefined };
    });

    feedStoreContract('postgres', async () => {
      const stores = await openPostgresStores(server.url, { schema: await server.freshSchema() });
      return { feeds: stores.feeds, cleanup: () => stores.close() };
    });

    retryQueueContract('postgres', async () => {
      const stores = await openPostgresStores(server.url, { schema: await server.freshSchema() });
      return { store: stores.fullTextRetries, cleanup: () => stores.close() };
    });

    describe('postgres specifics', () => {
      it('records migrations once, even when several replicas open the same schema together', async () => {
        const schema = await server.freshSchema();
        const opened = await Promise.all([1, 2, 3].map(() => openPostgresStores(server.url, { schema, poolSize: 2 })));
        const [first] = opened;
        const versions = await first!.db.query<{ version: number }>(
          'SELECT version FROM schema_version ORDER BY version',
        );
        expect(versions.map((row) => row.version)).toEqual(
          migrations.map((migration) => migration.version).sort((a, b) => a - b),
        );
        const indexes = await first!.db.query<{ indexname: string }>(
          'SELECT indexname FROM pg_indexes WHERE schemaname = $1',
          [schema],
        );
        expect(indexes.map((row) => row.indexname)).toEqual(
          expect.arrayContaining(['articles_newest', 'articles_search', 'deliveries_due', 'feeds_due']),
        );
        await Promise.all(opened.map((stores) => stores.close()));
      });

      it('answers searches from the GIN index, ranking title above body', async () => {
        const stores = await openPostgresStores(server.url, { schema: await server.freshSchema() });
        await stores.articles.upsertMany(
          Array.from({ length: 300 }, (_, i) =>
            makeInput({
              key: `bulk:${i}`,
              title: `Bulletin ${i}`,
              body: [{ type: 'paragraph', text: `Routine item ${i} about ports.` }],
            }),
          ),
        );
        await stores.articles.upsert(
          makeInput({ title: 'Ports strike ends', body: [{ type: 'paragraph', text: 'Dockers return.' }] }),
        );
        await stores.db.query('ANALYZE articles');
        const hits = await stores.articles.search('ports', 3);
        expect(hits[0]?.title).toBe('Ports strike ends');
        const client = await stores.pool.connect();
        try {
          await client.query(
            `SET search_path = ${(await stores.db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s}`,
          );
          await client.query('SET enable_seqscan = off');
          const plan = await client.query(
            `EXPLAIN SELECT id FROM articles WHERE search @@ to_tsquery('simple', 'strike')`,
          );
          expect(plan.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n')).toMatch(
            /articles_search/,
          );
        } finally {
          client.release();
        }
        await stores.close();
      });

      it('rolls back a whole upsertMany when one item cannot be stored', async () => {
        const stores = await openPostgresStores(server.url, { schema: await server.freshSchema() });
        // A database-side refusal of the second item, so the first must not stay behind.
        await stores.db.query(
          `CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.key = 'bad' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$`,
        );
        await stores.db.query('CREATE TRIGGER refuse BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION refuse()');
        await expect(
          stores.articles.upsertMany([makeInput({ key: 'good' }), makeInput({ key: 'bad' })]),
        ).rejects.toMatchObject({
          code: 'storage',
          message: 'cannot store 2 articles: refused',
        });
        expect(await stores.articles.count()).toBe(0);
        await stores.close();
      });

      it('explains a wrong password and a missing database without showing the password', async () => {
        const url = new URL(server.url);
        url.password = 'wrong-password';
        await expect(openPostgresStores(url.toString(), { reconnectMs: 0 })).rejects.toThrow(
          /^cannot open database postgres:\/\/newsdesk@.+ \(DATABASE_URL\): PostgreSQL rejected the user or password in DATABASE_URL$/,
        );
        const missing = new URL(server.url);
        missing.pathname = '/no_such_db';
        const err = await openPostgresStores(missing.toString(), { reconnectMs: 0 }).catch((error: Error) => error);
        expect(err).toMatchObject({ code: 'storage' });
        expect((err as Error).message).toMatch(/the database does not exist/);
        expect((err as Error).message).not.toContain(new URL(server.url).password);
      });

      it('explains a server that is not there', async () => {
        const client = new pg.Client({ connectionString: server.url });
        await client.connect();
        await client.end();
        await expect(
          openPostgresStores('postgres://newsdesk:x@127.0.0.1:1/postgres', { reconnectMs: 0, connectTimeoutMs: 2_000 }),
        ).rejects.toThrow(
          'cannot open database postgres://newsdesk@127.0.0.1:1/postgres (DATABASE_URL): the PostgreSQL server refused the connection (is it running and listening on that host and port?)',
        );
      });
    });
  },
);
