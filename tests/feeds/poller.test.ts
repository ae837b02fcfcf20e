import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enrichDraft } from '../../src/ingest/enrich.js';
import type { FeedStore } from '../../src/store/feed-ports.js';
import { createFeedParser } from '../../src/ingest/feeds/feed-parser.js';
import { createFeedFetcher } from '../../src/ingest/feeds/fetch-feed.js';
import { createFeedPoller, type IngestDraft } from '../../src/ingest/feeds/poller.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';

let server: FeedServer;
let dir: string;
let stores: SqliteStores;
let feeds: FeedStore;
let announced: string[];
let clock: Date;

const log = pino({ level: 'silent' });
const fetcher = createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0 });
// One worker for the file: the real off-thread parse path, started once.
const parser = createFeedParser();

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await parser.close();
  await server.close();
});

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-feeds-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  feeds = stores.feeds;
  announced = [];
  clock = new Date('2024-03-01T12:00:00Z');
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the lead's ingest does, minus deliveries: enrich, upsert, and note what would be posted. */
const ingest: IngestDraft = async (draft, { announce }) => {
  const result = await stores.articles.upsert(enrichDraft(draft), clock.toISOString());
  if (announce && result.status === 'new') announced.push(result.article.title);
  return result.status;
};

function poller(options: { backfill?: boolean } = {}) {
  return createFeedPoller({
    feedStore: feeds,
    ingest,
    log,
    allowPrivate: true,
    now: () => clock,
    fetcher,
    parser,
    ...options,
  });
}

describe('feed poller', () => {
  it('records the first poll without posting, then posts only what is new', async () => {
    let count = 3;
    server.route('/noflood', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rssFeed({ count })),
    );
    await feeds.add(server.url('/noflood'), { now: clock.toISOString() });
    const first = await poller().pollOnce(server.url('/noflood'));
    expect(first).toMatchObject({ status: 'ok', firstPoll: true, new: 3, rejected: 0 });
    expect(announced).toEqual([]);
    expect(await stores.articles.count()).toBe(3);

    count = 4;
    const second = await poller().pollOnce(server.url('/noflood'));
    expect(second).toMatchObject({ status: 'ok', firstPoll: false, new: 1, unchanged: 3 });
    expect(announced).toEqual(['Item 3']);
  });

  it('posts the first poll too when backfill asks for it', async () => {
    server.serve('/backfill', rssFeed({ count: 2 }));
    await feeds.add(server.url('/backfill'), { now: clock.toISOString() });
    await poller({ backfill: true }).pollOnce(server.url('/backfill'));
    expect(announced).toHaveLength(2);
  });

  it('keeps an item whose guid changes but whose link stays the same as the same article', async () => {
    let generation = 0;
    server.route('/churn', (_req, res) =>
      res.writeHead(200).end(
        rssFeed({
          count: 2,
          item: (i) => ({ guid: `urn:gen${generation}:${i}`, link: `https://news.example/story/${i}` }),
        }),
      ),
    );
    await feeds.add(server.url('/churn'), { now: clock.toISOString() });
    await poller().pollOnce(server.url('/churn'));
    const before = await stores.articles.latest(10);
    generation = 1;
    const again = await poller().pollOnce(server.url('/churn'));
    expect(again).toMatchObject({ new: 0, unchanged: 2 });
    expect(announced).toEqual([]);
    const after = await stores.articles.latest(10);
    expect(after.map((a) => a.id).sort()).toEqual(before.map((a) => a.id).sort());
  });

  it('uses the ETag on the next poll and counts a 304 as not modified', async () => {
    server.route('/cond', (req, res) => {
      if (req.headers['if-none-match'] === '"abc"') return void res.writeHead(304).end();
      res.writeHead(200, { etag: '"abc"' }).end(rssFeed({ count: 1 }));
    });
    await feeds.add(server.url('/cond'), { now: clock.toISOString() });
    await poller().pollOnce(server.url('/cond'));
    expect((await feeds.get(server.url('/cond')))?.etag).toBe('"abc"');
    const second = await poller().pollOnce(server.url('/cond'));
    expect(second.status).toBe('not_modified');
  });

  it('schedules by <ttl> and Cache-Control max-age, never faster than the default interval', async () => {
    server.serve('/ttl', rssFeed({ count: 1, ttl: 60 }));
    server.serve('/maxage', rssFeed({ count: 1 }), { 'cache-control': 'public, max-age=1800' });
    server.serve('/short', rssFeed({ count: 1, ttl: 1 }));
    for (const p of ['/ttl', '/maxage', '/short']) {
      await feeds.add(server.url(p), { now: clock.toISOString() });
      await poller().pollOnce(server.url(p));
    }
    const minutesAhead = async (p: string): Promise<number> =>
      (Date.parse((await feeds.get(server.url(p)))?.nextPollAt ?? '') - clock.getTime()) / 60_000;
    expect(await minutesAhead('/ttl')).toBe(60);
    expect(await minutesAhead('/maxage')).toBe(30);
    expect(await minutesAhead('/short')).toBe(10);
  });

  it('gives an invalid XML feed one clear status and leaves other feeds unaffected', async () => {
    server.serve('/broken', '<rss version="2.0"><channel><title>Broken</title><item><title>x</item></channel></rss>');
    server.serve('/html-page', '<!DOCTYPE html><html><body>Home</body></html>', { 'content-type': 'text/html' });
    server.serve('/fine', rssFeed({ count: 2 }));
    for (const p of ['/broken', '/html-page', '/fine']) await feeds.add(server.url(p), { now: clock.toISOString() });
    const results = await poller().pollDue();
    const byPath = (p: string) => results.find((r) => r.url === server.url(p));
    expect(byPath('/fine')).toMatchObject({ status: 'ok', new: 2 });
    expect(byPath('/broken')).toMatchObject({ status: 'error' });
    const broken = await feeds.get(server.url('/broken'));
    expect(broken?.lastError).toMatch(/^Not a valid feed: the XML is malformed at line 1/);
    expect(broken).toMatchObject({ failures: 1, disabled: false });
    expect((await feeds.get(server.url('/html-page')))?.lastError).toMatch(/HTML page/);
    expect((await feeds.get(server.url('/fine')))?.lastError).toBeUndefined();
  });

  it('backs off exponentially and disables a feed after 48 hours of failures', async () => {
    server.serve('/down', 'busy', {}, 503);
    const url = server.url('/down');
    await feeds.add(url, { now: clock.toISOString() });
    const start = clock.getTime();
    const gaps: number[] = [];
    for (let i = 0; i < 3; i++) {
      await poller().pollOnce(url);
      const next = Date.parse((await feeds.get(url))?.nextPollAt ?? '');
      gaps.push((next - clock.getTime()) / 60_000);
      clock = new Date(next);
    }
    expect(gaps).toEqual([10, 20, 40]);
    clock = new Date(start + 49 * 3600_000);
    const last = await poller().pollOnce(url);
    expect(last.status).toBe('disabled');
    const record = await feeds.get(url);
    expect(record).toMatchObject({ disabled: true, failures: 4 });
    expect(record?.lastError).toMatch(/HTTP 503.*disabled after 48 h/);
    expect(await feeds.due(new Date(start + 100 * 3600_000).toISOString(), 10)).toEqual([]);
    // Adding it again re-enables it.
    await feeds.add(url, { now: clock.toISOString() });
    expect(await feeds.get(url)).toMatchObject({ disabled: false, failures: 0 });
  });
});
