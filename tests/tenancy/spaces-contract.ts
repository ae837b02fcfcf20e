import { describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import type { Invocation } from '../../src/domain/invocation.js';
import type { Reply } from '../../src/domain/reply.js';
import { createFanOut } from '../../src/delivery/fan-out.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import type { Stores, UpsertResult } from '../../src/store/ports.js';
import { makeInput } from '../support/articles.js';
import { silentLog } from '../support/runtime.js';

const A = 'discord:guild:A';
const B = 'discord:guild:B';
const SA = 'slack:team:SA';
const SB = 'slack:team:SB';
const NOW = '2026-03-01T12:00:00.000Z';
const SECRET = 'https://a.example/private.xml?token=s3cret';
const SHARED = 'https://shared.example/rss';
const OPERATOR_FEED = 'https://op.example/rss?key=opkey';

/** One replica: its own executor and fan-out over its own connection to the shared database. */
function replica(stores: Stores) {
  const feeds = createFeedCommandsPort({
    feedStore: stores.feeds,
    allowPrivate: false,
    resolve: async () => [{ address: '93.184.216.34', family: 4 }],
  });
  const execute: Executor = createExecutor({
    stores,
    log: silentLog,
    now: () => NOW,
    feeds,
    limits: { scheduleMinSeconds: 60, subscriptionsPerSpace: 5, feedsPerSpace: 3 },
  });
  const fanOut = createFanOut({ stores, log: silentLog, onUpdate: 'ignore' });
  const as =
    (space: string, channel: string) =>
    (sub: string, args: Record<string, string> = {}) => {
      const platform = space.startsWith('slack') ? 'slack' : 'discord';
      const inv: Invocation = {
        command: 'news',
        sub,
        args,
        user: { platform, id: `manager-${space}`, canManage: true },
        channel: `${platform}:${channel}`,
        space,
      };
      return execute(inv);
    };
  return { stores, execute, fanOut, as };
}

const text = (reply: Reply): string => {
  if (reply.kind === 'text') return reply.text;
  if (reply.kind === 'file') return reply.content;
  return JSON.stringify(reply);
};

/**
 * Two guilds and two workspaces, a manager in each, on two replicas of one database: nothing of
 * one space is seen, changed or received through another.
 */
export function spacesContract(
  name: string,
  open: () => Promise<{ one: Stores; two: Stores; close: () => Promise<void> }>,
) {
  describe(`spaces: ${name}`, () => {
    it('keeps feeds, articles, deliveries and management inside their space', async () => {
      const { one, two, close } = await open();
      try {
        const r1 = replica(one);
        const r2 = replica(two);
        await one.feeds.add(OPERATOR_FEED, { now: NOW });
        const inA = r1.as(A, 'chanA');
        const inB = r2.as(B, 'chanB');
        const inSA = r2.as(SA, 'CSA');
        const inSB = r1.as(SB, 'CSB');
        for (const run of [inA, inB, inSA, inSB]) expect((await run('subscribe')).kind).toBe('text');
        expect(text(await inA('feeds add', { url: SECRET }))).toMatch(/^Added feed/);
        expect(text(await inSA('feeds add', { url: SHARED }))).toMatch(/^Added feed/);
        expect(text(await inB('feeds add', { url: SHARED }))).toMatch(/^Added feed/);
        const secret = (await one.feeds.get(SECRET))!;
        const operator = (await one.feeds.get(OPERATOR_FEED))!;
        // The same URL from two spaces is one feed row, polled once.
        const due = await two.feeds.due(NOW, 100);
        expect(due.filter((feed) => feed.url === SHARED)).toHaveLength(1);
        expect(due.map((feed) => feed.url).sort()).toEqual([SECRET, OPERATOR_FEED, SHARED].sort());

        const store = async (r: ReturnType<typeof replica>, feedUrl: string, title: string) => {
          const result: UpsertResult = await r.stores.articles.upsert(
            makeInput({ title, origin: { kind: 'feed', feedUrl } }),
          );
          await r.fanOut(result);
          return result.article.id;
        };
        const fromSecret = await store(r1, SECRET, 'Zanzibar harbour secret story');
        const fromShared = await store(r2, SHARED, 'Shared story about turnips');
        const fromOperator = await store(r1, OPERATOR_FEED, 'Operator story about harbours');
        const channelsOf = async (id: string) => (await two.deliveries.forArticle(id)).map((row) => row.channel).sort();
        expect(await channelsOf(fromSecret)).toEqual(['discord:chanA']);
        expect(await channelsOf(fromShared)).toEqual(['discord:chanB', 'slack:CSA']);
        expect(await channelsOf(fromOperator)).toEqual(['discord:chanA', 'discord:chanB', 'slack:CSA', 'slack:CSB']);

        // B sees nothing of A's feed: latest, search, summary and sources by id, autocomplete.
        const latestIds = async (run: typeof inA) => {
          const reply = await run('latest', { count: '10' });
          return reply.kind === 'articles' ? reply.cards.map((card) => card.id).sort() : [];
        };
        expect(await latestIds(inA)).toEqual([fromSecret, fromOperator].sort());
        expect(await latestIds(inB)).toEqual([fromShared, fromOperator].sort());
        const unknown = text(await inB('summary', { id: 'zz99zz99' }));
        expect(text(await inB('summary', { id: fromSecret }))).toBe(unknown.replace('zz99zz99', fromSecret));
        expect(text(await inB('sources', { id: fromSecret }))).toBe(unknown.replace('zz99zz99', fromSecret));
        expect((await inA('summary', { id: fromSecret })).kind).toBe('summary');
        const found = await inB('search', { query: 'Zanzibar' });
        expect(found.kind === 'articles' && found.cards).toEqual([]);
        expect((await two.articles.suggest('Zanzibar', 25, B)).map((row) => row.id)).toEqual([]);
        expect((await two.articles.suggest(fromSecret.slice(0, 4), 25, B)).map((row) => row.id)).not.toContain(
          fromSecret,
        );
        expect((await two.articles.suggest('Zanzibar', 25, A)).map((row) => row.id)).toEqual([fromSecret]);

        // B cannot list or remove A's feed; nobody removes the operator's; URLs of others lose their secrets.
        const listB = text(await inB('feeds list'));
        expect(listB).not.toContain(secret.id);
        expect(listB).not.toContain('s3cret');
        expect(listB).toContain(operator.id);
        expect(listB).not.toContain('opkey');
        expect(text(await inA('feeds list'))).toContain(SECRET);
        const unknownFeed = text(await inB('feeds remove', { id: 'nofeed' }));
        expect(text(await inB('feeds remove', { id: secret.id }))).toBe(unknownFeed.replace('nofeed', secret.id));
        expect(await one.feeds.get(SECRET)).toBeDefined();
        for (const run of [inA, inSB]) {
          const refused = await run('feeds remove', { id: operator.id });
          expect(refused).toMatchObject({ kind: 'text', tone: 'error' });
          expect(text(refused)).toMatch(/operator's feeds \(FEED_URLS\); it cannot be removed by command/);
        }
        expect(await two.feeds.get(OPERATOR_FEED)).toBeDefined();
        // Unlinking the shared feed in B leaves it polled for SA.
        expect(text(await inB('feeds remove', { id: SHARED }))).toMatch(/^Removed feed/);
        expect((await one.feeds.links(SHARED)).map((link) => link.space)).toEqual([SA]);
        expect(await latestIds(inB)).toEqual([fromOperator]);

        // subscriptions lists only the space's channels.
        const subs = text(await inB('subscriptions'));
        expect(subs).toContain('discord:chanB');
        expect(subs).not.toMatch(/chanA|CSA|CSB/);

        // The per-space feed cap (3 here), with a clear reply; what is already linked costs nothing.
        await inA('feeds add', { url: 'https://a.example/two.xml' });
        await inA('feeds add', { url: 'https://a.example/three.xml' });
        const capped = await inA('feeds add', { url: 'https://a.example/four.xml' });
        expect(capped).toMatchObject({ kind: 'text', tone: 'error' });
        expect(text(capped)).toMatch(/already has 3 feeds, the most allowed \(3\)/);
        expect(text(await inA('feeds add', { url: SECRET }))).toMatch(/already polled here/);

        // A subscription naming feeds gets only those.
        await inSB('subscribe', { feeds: operator.id });
        expect(text(await inSB('subscribe', { feeds: secret.id }))).toMatch(/No feed with id/);
        const onlyOperator = await store(r2, OPERATOR_FEED, 'Second operator story');
        const fileArticle = await r1.stores.articles.upsert(makeInput({ title: 'A file for everyone' }));
        await r1.fanOut(fileArticle);
        expect(await channelsOf(onlyOperator)).toContain('slack:CSB');
        expect(await channelsOf(fileArticle.article.id)).not.toContain('slack:CSB');
        expect(await channelsOf(fileArticle.article.id)).toContain('discord:chanB');
      } finally {
        await close();
      }
    });

    it("an operator feed a guild also links is listed once, as the guild's own, and stays the operator's after removal", async () => {
      const { one, two, close } = await open();
      try {
        await one.feeds.add(OPERATOR_FEED, { now: NOW });
        const inA = replica(one).as(A, 'chanA');
        const inB = replica(two).as(B, 'chanB');
        const operator = (await one.feeds.get(OPERATOR_FEED))!;
        expect(text(await inA('feeds add', { url: OPERATOR_FEED }))).toMatch(/^Added feed/);
        const occurrences = (list: string) => list.split(operator.id).length - 1;
        const listA = await inA('feeds list');
        expect(listA).toMatchObject({ kind: 'text', title: 'Feeds (1)' });
        expect(occurrences(text(listA))).toBe(1);
        expect(text(listA)).toMatch(/^\S+ {2}https:\/\/op\.example\/rss\?key=opkey .* \(also an operator feed/);
        expect(text(listA)).not.toContain('From the operator');
        // B does not link it: the operator's section, read-only, URL without its key.
        const listB = text(await inB('feeds list'));
        expect(occurrences(listB)).toBe(1);
        expect(listB).toContain('From the operator (read-only, 1):');
        expect(listB).not.toContain('opkey');
        expect(listB).not.toContain('also an operator feed');

        const removed = text(await inA('feeds remove', { id: operator.id }));
        expect(removed).toMatch(/^Removed your link to feed .*The operator also polls it/);
        expect((await two.feeds.links(OPERATOR_FEED)).map((link) => link.space)).toEqual(['operator']);
        const after = await inA('feeds list');
        expect(after).toMatchObject({ kind: 'text', title: 'Feeds (0)' });
        expect(occurrences(text(after))).toBe(1);
        expect(text(after)).toContain('From the operator (read-only, 1):');
        expect(text(await inA('feeds remove', { id: operator.id }))).toMatch(/it cannot be removed by command/);
      } finally {
        await close();
      }
    });

    it('moves a feed list with OPML: export, import in another space, export again is equal', async () => {
      const { one, two, close } = await open();
      try {
        const inA = replica(one).as(A, 'chanA');
        const inSB = replica(two).as(SB, 'CSB');
        for (const url of [SECRET, SHARED]) await inA('feeds add', { url });
        const first = await inA('feeds export');
        expect(first).toMatchObject({ kind: 'file', name: 'newsdesk-feeds.opml', mime: 'text/x-opml' });
        const opml = text(first);
        expect(opml).toContain('token=s3cret');
        const report = text(await inSB('feeds import', { document: opml }));
        expect(report).toMatch(/^Added 2, already here 0, refused 0\./);
        expect(text(await inSB('feeds import', { document: opml }))).toMatch(/^Added 0, already here 2, refused 0\./);
        expect(text(await inSB('feeds export'))).toBe(opml);
        // Nested folders, `url` instead of `xmlUrl`, no titles, entities, and refusals with reasons.
        const quirky = `<?xml version="1.0"?><opml version="1.0"><head><title>Mine &amp; yours</title></head><body>
          <outline text="News"><outline text="Deep"><outline type="rss" xmlUrl="https://q.example/a?x=1&amp;y=2"/></outline></outline>
          <outline type="rss" text="By url" url="https://q.example/b.xml"/>
          <outline type="rss" text="Inward" xmlUrl="http://127.0.0.1/feed"/>
          <outline type="rss" text="Not web" xmlUrl="ftp://q.example/c"/>
        </body></opml>`;
        const quirks = text(await inSB('feeds import', { document: quirky }));
        expect(quirks).toMatch(/^Added 1, already here 0, refused /);
        expect(quirks).toContain('+ https://q.example/a?x=1&y=2');
        expect(quirks).toMatch(/! http:\/\/127\.0\.0\.1\/feed: /);
        // The cap (3) stops the rest, each with its reason.
        expect(quirks).toMatch(/the most allowed \(3\)/);
        expect(await two.feeds.countLinks(SB)).toBe(3);
        expect(await one.feeds.countLinks(A)).toBe(2);
      } finally {
        await close();
      }
    });
  });
}
