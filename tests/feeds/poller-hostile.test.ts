import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedLine } from '../../commands/feeds-list.js';
import { enrichDraft } from '../../src/ingest/enrich.js';
import { createFeedParser } from '../../src/ingest/feeds/feed-parser.js';
import type { FeedStore } from '../../src/store/feed-ports.js';
import { createFeedFetcher } from '../../src/ingest/feeds/fetch-feed.js';
import { createFeedPoller, type IngestDraft } from '../../src/ingest/feeds/poller.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { HOSTILE_CASES } from './hostile/cases.js';

let server: FeedServer;
let dir: string;
let stores: SqliteStores;
let feeds: FeedStore;
let announced: string[];
let clock: Date;

const log = pino({ level: 'silent' });
const fetcher = createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0, maxBytes: 20_000_000 });
const parser = createFeedParser({ budgetMs: 20_000 });
// Tight enough that an 8 MB document of 60,000 items cannot make it, loose enough for a small feed.
const tight = createFeedParser({ budgetMs: 400 });
const rotating = HOSTILE_CASES.find((c) => c.name === '20,000 items with rotating ids')!;

beforeAll(async () => {
  server = await startFeedServer();
  server.serve('/warm', rssFeed({ count: 1 }));
  for (const p of [parser, tight]) await p.prepare(Buffer.from(rssFeed({ count: 1 })), { url: server.url('/warm') });
}, 60_000);
afterAll(async () => {
  await parser.close();
  await tight.close();
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-hostile-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  feeds = stores.feeds;
  announced = [];
  clock = new Date('2024-03-01T12:00:00Z');
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const ingest: IngestDraft = async (draft, { announce }) => {
  const result = await stores.articles.upsert(enrichDraft(draft), clock.toISOString());
  if (announce && result.status === 'new') announced.push(result.article.title);
  return result.status;
};
const poller = (using = parser) =>
  createFeedPoller({ feedStore: feeds, ingest, log, allowPrivate: true, now: () => clock, fetcher, parser: using });

/** The longest the main loop went without running a 5 ms timer while `work` ran. */
async function stallDuring<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const ticker = setInterval(() => {
    stallMs = Math.max(stallMs, performance.now() - last);
    last = performance.now();
  }, 5);
  try {
    const value = await work();
    return { value, stallMs: Math.max(stallMs, performance.now() - last) };
  } finally {
    clearInterval(ticker);
  }
}

describe('feed poller against hostile feeds', () => {
  it('takes the newest 200 of 20,000 rotating items, then flags the churn instead of adding all of them', async () => {
    // Every request rotates every guid, link and title.
    server.route('/rotating', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rotating.build()),
    );
    const url = server.url('/rotating');
    await feeds.add(url, { now: clock.toISOString() });
    const first = await stallDuring(() => poller().pollOnce(url));
    expect(first.value).toMatchObject({ status: 'ok', firstPoll: true, new: 200, dropped: 19_800 });
    expect(first.value.warning).toBeUndefined();
    // Generous: the budget for a stall is 100 ms (bench:feeds reports it); a loaded CI box gets slack.
    expect(first.stallMs).toBeLessThan(1_000);

    clock = new Date(clock.getTime() + 15 * 60_000);
    const second = await stallDuring(() => poller().pollOnce(url));
    expect(second.value).toMatchObject({ status: 'ok', firstPoll: false, new: 10 });
    expect(second.value.warning).toMatch(/all 200 items were new.*rotate/);
    expect(second.stallMs).toBeLessThan(1_000);
    expect(announced).toEqual([]);
    expect(await stores.articles.count()).toBe(210);
    const record = await feeds.get(url);
    expect(record).toMatchObject({ failures: 0, polls: 2 });
    expect(feedLine(record!)).toMatch(/ok, last polled .* \(warning: all 200 items were new/);
  }, 120_000);

  it('quarantines a document over the time budget as the feed last error, with normal backoff, and keeps polling others', async () => {
    server.serve('/huge', rotating.build(3));
    server.serve('/fine', rssFeed({ count: 2 }));
    for (const p of ['/huge', '/fine']) await feeds.add(server.url(p), { now: clock.toISOString() });
    const results = await poller(tight).pollDue();
    const huge = results.find((r) => r.url === server.url('/huge'));
    expect(huge).toMatchObject({ status: 'error', new: 0 });
    expect(huge?.error).toMatch(/^Quarantined: parsing took longer than 400 ms/);
    expect(results.find((r) => r.url === server.url('/fine'))).toMatchObject({ status: 'ok', new: 2 });
    const record = await feeds.get(server.url('/huge'));
    expect(record).toMatchObject({ failures: 1, disabled: false });
    expect(Date.parse(record?.nextPollAt ?? '') - clock.getTime()).toBe(10 * 60_000);
    expect(feedLine(record!)).toMatch(/failing \(1×\): Quarantined: parsing took longer than 400 ms/);
    // Not retried in a loop: nothing is due until the backoff has passed.
    expect(await poller(tight).pollDue()).toEqual([]);
  }, 120_000);
});
