import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../commands/command.js';
import { feedsAddCommand } from '../../commands/feeds-add.js';
import { isNewsdeskError } from '../../src/domain/errors.js';
import type { Reply } from '../../src/domain/reply.js';
import { discoverFeeds } from '../../src/ingest/feeds/feed-autodiscovery.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import { createFeedFetcher } from '../../src/ingest/feeds/fetch-feed.js';
import type { Resolver } from '../../src/ingest/feeds/ssrf.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';

let dir: string;
let stores: SqliteStores;
let server: FeedServer;
let ctx: CommandContext;
let site: string;

// news.test is "the internet" (a public address to the URL check, 127.0.0.1 to the fetcher's guarded
// lookup, which lets only that one loopback address through); intranet.test is private to both.
const checkNames: Record<string, string> = { 'news.test': '93.184.216.34', 'intranet.test': '10.0.0.5' };
const dialNames: Record<string, string> = { 'news.test': '127.0.0.1', 'intranet.test': '10.0.0.5' };
const resolverOf =
  (names: Record<string, string>): Resolver =>
  async (host) => {
    const address = names[host];
    if (!address) throw new Error('ENOTFOUND');
    return [{ address, family: 4 }];
  };

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-probe-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  server = await startFeedServer();
  site = `http://news.test:${server.port}`;
  const fetcher = createFeedFetcher({
    allowPrivate: false,
    addressPolicy: (address) => address === '127.0.0.1',
    resolve: resolverOf(dialNames),
    minHostIntervalMs: 0,
    timeoutMs: 5_000,
  });
  ctx = {
    stores,
    user: { platform: 'slack', id: 'U1', canManage: true },
    channel: 'slack:C1',
    now: () => '2024-03-01T12:00:00.000Z',
    feeds: createFeedCommandsPort({
      feedStore: stores.feeds,
      allowPrivate: false,
      resolve: resolverOf(checkNames),
      fetcher,
    }),
  };
});
afterEach(async () => {
  await server.close();
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const textOf = (reply: Reply) => (reply.kind === 'text' ? reply.text : '');
const stored = async () => (await ctx.feeds!.list()).map((feed) => feed.url);

async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (isNewsdeskError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a rejection');
}

const PAGE = `<!doctype html><html><head><title>News</title><base href="/blog/">
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="All  news" href="/feed.xml">
<link rel="ALTERNATE" type="application/atom+xml; charset=utf-8" href="atom.xml" title="Atom &amp; more">
<link rel="alternate" type="application/feed+json" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="/feed.xml">
<link rel="alternate" type="text/html" hreflang="de" href="/de/">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
<link rel="alternate" type="application/rss+xml" href="http://192.168.1.1/admin.rss">
<link rel="alternate" type="application/rss+xml" href="http://intranet.test/feed">
</head><body><p>Hello</p></body></html>`;

describe('feeds add fetches and parses first', () => {
  it('a feed: says "Added" with its title and item count, and stores it', async () => {
    server.serve('/feed.xml', rssFeed({ title: 'Loopback News', count: 3 }));
    const reply = await feedsAddCommand.run(ctx, { url: `${site}/feed.xml` });
    expect(textOf(reply)).toMatch(
      /^Added feed “Loopback News” http:\/\/news\.test:\d+\/feed\.xml \(id \w+\)\. It has 3 items now/,
    );
    expect(await stored()).toEqual([`${site}/feed.xml`]);
    expect(server.requests.map((request) => request.path)).toEqual(['/feed.xml']);
  });

  it('an HTML page: offers its feeds, resolved against the page and <base>, SSRF-checked; stores nothing', async () => {
    server.serve('/news/', PAGE, { 'content-type': 'text/html; charset=utf-8' });
    const reply = await feedsAddCommand.run(ctx, { url: `${site}/news/` });
    const text = textOf(reply);
    expect(text).toMatch(/^Not added: http:\/\/news\.test:\d+\/news\/ is a web page, not a feed\./);
    expect(text.split('\n').slice(1)).toEqual([
      `• All news — ${site}/feed.xml`,
      `• Atom & more — ${site}/blog/atom.xml`,
      `• ${site}/blog/feed.json`,
    ]);
    expect(await stored()).toEqual([]);
    // The offered links are candidates only: nothing fetched them yet.
    expect(server.requests.map((request) => request.path)).toEqual(['/news/']);
  });

  it('a page without feed links, a 404 and non-feed XML are refused in one line; nothing is stored', async () => {
    server.serve('/plain', '<html><body>No feeds here</body></html>', { 'content-type': 'text/html' });
    server.serve('/image.svg', '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', {
      'content-type': 'image/svg+xml',
    });
    expect(textOf(await feedsAddCommand.run(ctx, { url: `${site}/plain` }))).toMatch(
      /^Not added: .* is a web page, and it links to no RSS, Atom or JSON feed\.$/,
    );
    expect(await rejection(feedsAddCommand.run(ctx, { url: `${site}/missing.xml` }))).toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/^Not added: .*answered HTTP 404$/),
    });
    expect((await rejection(feedsAddCommand.run(ctx, { url: `${site}/image.svg` }))).message).toMatch(
      /^Not added: Not a feed: unknown root element <svg>$/,
    );
    expect(await stored()).toEqual([]);
  });

  it('a page on an address the guard refuses is never fetched', async () => {
    expect((await rejection(feedsAddCommand.run(ctx, { url: 'http://intranet.test/news/' }))).code).toBe('forbidden');
    expect(server.requests).toEqual([]);
  });
});

describe('discoverFeeds', () => {
  it('reads rel tokens and types case-insensitively, skips other alternates, and caps the list', () => {
    const many = Array.from(
      { length: 30 },
      (_, i) => `<link rel="feed alternate" type="application/rss+xml" href="/f${i}.xml">`,
    ).join('');
    const found = discoverFeeds(`<html><head>${many}</head></html>`, 'https://site.example/a/b');
    expect(found).toHaveLength(10);
    expect(found[0]).toEqual({ url: 'https://site.example/f0.xml', type: 'application/rss+xml' });
    expect(discoverFeeds('<link rel="alternate" type="text/html" href="/x">', 'https://site.example/')).toEqual([]);
  });
});
