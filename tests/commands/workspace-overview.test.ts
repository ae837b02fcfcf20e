import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionInSpace, workspaceOverview } from '../../commands/workspace-overview.js';
import type { ChannelId } from '../../src/domain/channel.js';
import { emptyFilter, type Subscription } from '../../src/domain/subscription.js';
import { openPostgresStores } from '../../src/store/postgres-open.js';
import type { Stores } from '../../src/store/ports.js';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { makeInput } from '../support/articles.js';
import { tempDir } from '../support/paths.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';

const T = (minute: number) => `2026-12-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
const A = 'slack:team:TA';

function subscription(channel: ChannelId, space: string | undefined, over: Partial<Subscription> = {}): Subscription {
  return {
    channel,
    space,
    filter: emptyFilter(),
    digest: 0,
    paused: false,
    origin: 'command',
    createdAt: T(0),
    ...over,
  };
}

/** The same scenario on every store: what a workspace's Home tab is built from. */
function overviewContract(name: string, open: () => Promise<{ stores: Stores; close: () => Promise<void> }>) {
  describe(`workspace overview (${name})`, () => {
    let stores: Stores;
    let close: () => Promise<void>;
    let first: string;
    beforeAll(async () => {
      ({ stores, close } = await open());
      first = (await stores.articles.upsert(makeInput({ title: 'Harbour reopens' }), T(1))).article.id;
      const second = (await stores.articles.upsert(makeInput({ title: 'Bridge closed' }), T(2))).article.id;
      await stores.subscriptions.putSubscription(subscription('slack:CA1', A, { schedule: '0 9 * * *', digest: 3 }));
      await stores.subscriptions.putSubscription(
        subscription('slack:CA2', A, { paused: true, filter: { ...emptyFilter(), include: ['harbour'] } }),
      );
      // A regex that cannot run (stored before validation got stricter) quarantines the subscription.
      await stores.subscriptions.putSubscription(
        subscription('slack:CA3', A, { filter: { ...emptyFilter(), regex: '/(unclosed/' } }),
      );
      await stores.subscriptions.putSubscription(subscription('slack:CB1', 'slack:team:TB'));
      await stores.subscriptions.putSubscription(subscription('slack:CO1', undefined, { origin: 'config' }));
      await stores.deliveries.enqueue(first, ['slack:CA1', 'slack:CA2'], T(3));
      await stores.deliveries.enqueue(second, ['slack:CA1'], T(4));
      await stores.deliveries.markSent(first, 'slack:CA1', '1.1', T(5));
      await stores.deliveries.markFailed(first, 'slack:CA2', 'not_in_channel', T(6));
      await stores.feeds.add('https://a.example/feed', { now: T(0), space: A });
      await stores.feeds.add('https://op.example/rss?key=hidden', { now: T(0) });
      await stores.feeds.add('https://a.example/feed', { now: T(0) });
      await stores.feeds.add('https://b.example/feed', { now: T(0), space: 'slack:team:TB' });
    }, 60_000);
    afterAll(async () => close?.());

    it("lists exactly the space's subscriptions with status, last post, waiting and failures", async () => {
      const overview = await workspaceOverview(stores, A);
      const byChannel = Object.fromEntries(overview.subscriptions.map((row) => [row.channel, row]));
      expect(Object.keys(byChannel).sort()).toEqual(['slack:CA1', 'slack:CA2', 'slack:CA3']);
      expect(byChannel['slack:CA1']).toMatchObject({
        status: 'active',
        schedule: '0 9 * * *',
        digest: 3,
        lastPost: { at: T(5), title: 'Harbour reopens', articleId: first },
        pending: 1,
        failures: 0,
      });
      expect(byChannel['slack:CA2']).toMatchObject({
        status: 'paused',
        filter: 'harbour',
        failures: 1,
        lastFailure: 'not_in_channel',
      });
      expect(byChannel['slack:CA2']!.lastPost).toBeUndefined();
      expect(byChannel['slack:CA3']!.status).toBe('quarantined');
      expect(byChannel['slack:CA3']!.problem).toBeTruthy();
    });

    it("shows the space's own feeds, then the operator's without their secrets, once each", async () => {
      const { feeds } = await workspaceOverview(stores, A);
      expect(feeds.map((feed) => [feed.own, feed.line.includes('a.example') ? 'a' : 'op'])).toEqual([
        [true, 'a'],
        [false, 'op'],
      ]);
      expect(feeds[1]!.line).toContain('https://op.example/rss');
      expect(feeds.some((feed) => feed.line.includes('hidden') || feed.line.includes('b.example'))).toBe(false);
    });

    it('finds a subscription only from its own space', async () => {
      expect((await subscriptionInSpace(stores, 'slack:CA1', A))?.channel).toBe('slack:CA1');
      expect(await subscriptionInSpace(stores, 'slack:CB1', A)).toBeUndefined();
      expect(await subscriptionInSpace(stores, 'slack:CA1', 'slack:team:TB')).toBeUndefined();
      // A configured channel is the operator's: no workspace reaches it from a button.
      expect(await subscriptionInSpace(stores, 'slack:CO1', A)).toBeUndefined();
      expect(await subscriptionInSpace(stores, 'slack:nope', A)).toBeUndefined();
    });
  });
}

overviewContract('sqlite', async () => {
  const { dir, cleanup } = tempDir();
  const stores = openSqliteStores(join(dir, 'overview.db'));
  return {
    stores,
    close: async () => {
      await stores.close();
      cleanup();
    },
  };
});

const plan = postgresPlanFor('PostgreSQL workspace overview tests');
describe.skipIf(plan.kind === 'none')('postgres', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => server?.close());
  overviewContract('postgres', async () => {
    const stores = await openPostgresStores(server.url, { schema: await server.freshSchema() });
    return { stores, close: () => stores.close() };
  });
});
