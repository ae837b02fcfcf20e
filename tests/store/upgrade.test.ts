import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { openPostgresStores } from '../../src/store/postgres-open.js';
import type { Stores } from '../../src/store/ports.js';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { tempDir } from '../support/paths.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';

// Dumps of databases that the per-database stores at cf6b86b created and filled (schema_version
// 1–7). They are frozen fixture data: the upgrade must start from exactly what shipped.
const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const T = '2026-01-02T03:04:05.000Z';
const ONE = 'gm10mpq6';
const TWO = 'g6ibre12';

/** Everything the old code wrote, read back through the new store. */
async function expectEverything(stores: Stores): Promise<void> {
  const one = await stores.articles.get(ONE);
  expect(one).toMatchObject({
    id: ONE,
    key: 'id:legacy-one',
    title: 'Legacy harbour storm closes port',
    author: 'Ana',
    firstSeenAt: T,
  });
  expect(one?.summary.sentences).toEqual(['A storm closed the harbour on Monday.']);
  expect((await stores.articles.getByKey('feed:guid-two'))?.id).toBe(TWO);
  expect((await stores.articles.latest(10)).map((a) => a.id).sort()).toEqual([ONE, TWO].sort());
  expect((await stores.articles.search('harbour', 10)).map((a) => a.id)).toEqual([ONE]);
  expect((await stores.articles.search('cafe', 10)).map((a) => a.id)).toEqual([TWO]);
  expect((await stores.articles.suggest('legacy harb', 5)).map((a) => a.id)).toEqual([ONE]);
  expect((await stores.articles.pendingOutbox(10)).map((e) => [e.article.id, e.status])).toEqual([[TWO, 'new']]);
  // Rows stored before derived versions existed read as ''.
  expect((await stores.articles.staleDerived('v1', 10)).map((a) => a.id).sort()).toEqual([ONE, TWO].sort());
  const rows = await stores.deliveries.forArticle(ONE);
  expect(rows.map((r) => [r.channel, r.state, r.messageId ?? r.lastError]).sort()).toEqual([
    ['discord:1', 'sent', 'm-1'],
    ['slack:C1', 'failed', 'not_in_channel'],
  ]);
  expect(await stores.deliveries.countByState()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 1 });
  expect(await stores.meta.getMeta('discord.commands')).toBe('abc123');
  expect(await stores.files.getFile('/articles/one.txt')).toEqual({
    path: '/articles/one.txt',
    mtimeMs: 1700000000123.5,
    size: 321,
    articleKey: 'id:legacy-one',
  });
  expect(await stores.subscriptions.getSubscription('discord:1' as never)).toMatchObject({
    space: 'discord:guild:g1',
    schedule: '0 * * * *',
    timezone: 'Europe/Paris',
    filter: { tags: ['world'] },
    digest: 3,
    paused: true,
    origin: 'command',
    createdBy: 'u1',
  });
  const [feed] = await stores.feeds.list();
  expect(feed).toMatchObject({
    url: 'https://example.com/feed.xml',
    etag: 'W/"1"',
    failures: 2,
    disabled: true,
    lastError: 'HTTP 500',
    polls: 4,
  });
  expect(await stores.feeds.findArticleKey(['nope', 'link:https://example.com/b'])).toBe('feed:guid-two');
  // Spaces (migration 9): the old feed is the operator's, so every space sees its articles and the files.
  expect((await stores.feeds.links(feed!.url)).map((link) => [link.space, link.fulltext])).toEqual([
    ['operator', 'auto'],
  ]);
  expect((await stores.feeds.list('operator')).map((f) => f.url)).toEqual([feed!.url]);
  expect((await stores.articles.latest(10, 'discord:guild:other')).map((a) => a.id).sort()).toEqual([ONE, TWO].sort());
  expect((await stores.articles.get(TWO, 'slack:team:T9'))?.id).toBe(TWO);
  // Unlinked, the feed's articles are gone from every space but stay for the internal reader.
  await stores.feeds.unlink(feed!.url, 'operator');
  expect(await stores.articles.get(TWO, 'slack:team:T9')).toBeUndefined();
  expect((await stores.articles.search('cafe', 10, 'operator')).map((a) => a.id)).toEqual([]);
  expect((await stores.articles.latest(10, 'operator')).map((a) => a.id)).toEqual([ONE]);
  expect((await stores.articles.get(TWO))?.id).toBe(TWO);
  expect(await stores.feeds.list()).toEqual([]);
  // The claim the old process held is stale for this one, so the pending row is claimable and nothing is lost.
  const claimed = await stores.deliveries.claimDue({
    now: '2026-02-01T00:00:00.000Z',
    maxChannels: 5,
    perChannel: 5,
    owner: 'new',
    leaseMs: 1000,
  });
  expect(claimed.map((r) => [r.articleId, r.channel])).toEqual([[TWO, 'discord:1']]);
  // And it keeps working: a new article, a new delivery.
  const added = await stores.articles.upsert({
    ...(one as never as Parameters<Stores['articles']['upsert']>[0]),
    key: 'id:new',
    title: 'Fresh',
  });
  expect(added.status).toBe('new');
  expect(await stores.deliveries.enqueue(added.article.id, ['discord:1' as never])).toBe(1);
}

describe('upgrade in place from the previous store', () => {
  it('opens a SQLite file made by the previous code, keeps every row and migrates it', async () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'old.db');
    const old = new Database(path);
    old.exec(fixture('sqlite-v7.sql'));
    old.close();
    const stores = openSqliteStores(path);
    try {
      await expectEverything(stores);
      const versions = stores.db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all();
      expect(versions).toEqual(migrations.map((m) => m.version));
    } finally {
      await stores.close();
      cleanup();
    }
  });

  const plan = postgresPlanFor('PostgreSQL upgrade test');
  describe.skipIf(plan.kind === 'none')('postgres', () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startTestPostgres();
    }, 60_000);
    afterAll(async () => server?.close());

    it('opens a schema made by the previous code, keeps every row and migrates it', async () => {
      const schema = await server.freshSchema();
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(fixture('postgres-v7.sql').replaceAll('legacy_v7', schema));
      await client.end();
      const stores = await openPostgresStores(server.url, { schema });
      try {
        await expectEverything(stores);
        const versions = await stores.db.query<{ version: number }>(
          'SELECT version FROM schema_version ORDER BY version',
        );
        expect(versions.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
      } finally {
        await stores.close();
      }
    });
  });
});
