import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleDraft } from '../../src/domain/article.js';
import { createFeedFetcher } from '../../src/ingest/feeds/fetch-feed.js';
import { parseFeed } from '../../src/ingest/feeds/parse-feed.js';
import { itemToDraft } from '../../src/ingest/feeds/item-to-draft.js';
import { basisLine } from '../../src/domain/basis.js';
import { createExtractPool, type ExtractPool } from '../../src/ingest/fulltext/extract-pool.js';
import { createFullTextFetcher, type FullTextFetcher } from '../../src/ingest/fulltext/full-text-fetcher.js';
import { createTeaserHistory } from '../../src/ingest/fulltext/teaser.js';
import { rssFeed, startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { ONLY_ON_PAGE, articlePage, paywalledPage } from './pages.js';

let server: FeedServer;
let pool: ExtractPool;
let fullText: FullTextFetcher;
const html = { 'content-type': 'text/html; charset=utf-8' };

beforeAll(async () => {
  server = await startFeedServer();
  server.serve('/article', articlePage(), html);
  server.serve('/forbidden', 'no bots', { 'content-type': 'text/plain' }, 403);
  server.route('/slow', () => undefined);
  server.serve('/locked', '', { location: '/account/login?next=/locked' }, 302);
  server.serve('/account/login', '<html><body><form><input type="password"></form></body></html>', html);
  server.route('/huge', (_req, res) => {
    // 20 MB, chunked (no Content-Length), so the cap must hold while streaming.
    res.writeHead(200, html);
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < 20 && res.write(chunk)) sent++;
      if (sent >= 20) res.end();
      else res.once('drain', pump);
    };
    res.on('error', () => undefined);
    pump();
  });
  server.serve('/busy', 'try later', { 'content-type': 'text/plain' }, 503);
  server.serve('/throttled', 'slow down', { 'content-type': 'text/plain', 'retry-after': '120' }, 429);
  server.serve('/file.pdf', '%PDF-1.4 binary', { 'content-type': 'application/pdf' });
  server.serve('/paywalled', paywalledPage(), html);
  server.serve('/menu', '<html><body><nav><a href="/">Home</a></nav><p>Just a short line.</p></body></html>', html);
  server.serve(
    '/feed.xml',
    rssFeed({
      count: 1,
      item: () => ({
        link: server.url('/article'),
        title: 'Storm passes the harbour',
        description: 'The sea wall held, officials said.',
      }),
    }),
  );
  pool = createExtractPool({ budgetMs: 5_000 });
  fullText = fresh();
});

/** Each case gets its own: every path is on one host, and a failure backs that host off. */
function fresh(): FullTextFetcher {
  return createFullTextFetcher({
    fetcher: createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0, timeoutMs: 700, maxBytes: 5 * 1024 * 1024 }),
    extractor: pool,
    maxPerSecond: 1000,
    backoffMs: 60_000,
  });
}
afterAll(async () => {
  await pool.close();
  await server.close();
});

function teaserDraft(path: string): ArticleDraft {
  return {
    key: `link:${path}`,
    title: 'A teaser',
    body: [{ type: 'paragraph', text: 'Short teaser text from the feed.' }],
    images: [],
    url: server.url(path),
    origin: { kind: 'feed', feedUrl: server.url('/feed.xml') },
    publishers: [],
    links: [],
    tags: [],
  };
}

describe('full-text fetcher on loopback', () => {
  it('turns a teaser feed item into the full article: page-only sentences, basis full', async () => {
    const response = await fetch(server.url('/feed.xml'));
    const feed = parseFeed(Buffer.from(await response.arrayBuffer()), { url: server.url('/feed.xml') });
    const draft = itemToDraft(feed.items[0]!, feed, server.url('/feed.xml'));
    expect(draft.body.map((block) => block.text).join(' ')).not.toContain(ONLY_ON_PAGE);

    const result = await fullText.enrich(draft);
    expect(result.basis).toEqual({ kind: 'full' });
    expect(result.draft.basis).toEqual({ kind: 'full' });
    expect(result.counts).toEqual({ fetched: 1, failed: 0, paywalled: 0 });
    expect(result.draft.body.map((block) => block.text)).toContain(
      `${ONLY_ON_PAGE} Engineers had expected some damage to the older sections near the ferry terminal.`,
    );
    expect(
      result.draft.body.some((block) => block.type === 'heading' && block.text === 'What the engineers said'),
    ).toBe(true);
    expect(result.draft.author).toBe('Ada Reporter');
    expect(result.draft.images[0]?.url).toBe('https://cdn.example/lead.jpg');
    expect(result.draft.links).toContainEqual({ url: 'https://harbour.example/report.pdf', text: 'published in full' });
    expect(result.draft.key).toBe(draft.key);
    expect(basisLine(result.basis)).toBe('From the full article');
    const seen = server.requests.find((request) => request.path === '/article');
    expect(seen?.headers['user-agent']).toMatch(/^newsdesk\//);
  });

  // The last column: worth fetching again later (the retry queue takes only these).
  const failures: [string, string, boolean][] = [
    ['/forbidden', 'the page could not be read (403)', false],
    ['/missing', 'the page could not be read (404)', false],
    ['/busy', 'the page could not be read (503)', true],
    ['/throttled', 'the page could not be read (429)', true],
    ['/slow', 'the page took too long to answer', true],
    ['/locked', 'the page redirects to a login page', false],
    ['/huge', 'the page is too large', false],
    ['/file.pdf', 'the link is not a web page (application/pdf)', false],
    ['/menu', 'the page is not an article page', false],
  ];
  for (const [path, reason, transient] of failures) {
    it(`keeps the teaser with a reason for ${path}`, async () => {
      const draft = teaserDraft(path);
      const result = await fresh().enrich(draft);
      expect(result.basis).toEqual({ kind: 'teaser', reason });
      expect(result.transient ?? false).toBe(transient);
      expect(result.draft.body).toEqual(draft.body);
      expect(result.counts).toEqual({ fetched: 0, failed: 1, paywalled: 0 });
      expect(basisLine(result.basis)).toBe(`From the feed's teaser: ${reason}`);
    });
  }

  it('backs a failing host off instead of asking again at once', async () => {
    const own = fresh();
    expect((await own.enrich(teaserDraft('/forbidden'))).basis).toEqual({
      kind: 'teaser',
      reason: 'the page could not be read (403)',
    });
    const before = server.requests.filter((request) => request.path === '/forbidden').length;
    const result = await own.enrich(teaserDraft('/forbidden'));
    expect(result.basis).toEqual({ kind: 'teaser', reason: 'the site failed recently; it will be tried again later' });
    expect(server.requests.filter((request) => request.path === '/forbidden').length).toBe(before);
  });

  it('says paywalled when the page marks the article as not free', async () => {
    const own = createFullTextFetcher({
      fetcher: createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0 }),
      extractor: pool,
    });
    const result = await own.enrich(teaserDraft('/paywalled'));
    expect(result.basis).toEqual({ kind: 'paywalled', reason: 'the article is for subscribers only' });
    expect(result.counts).toEqual({ fetched: 0, failed: 0, paywalled: 1 });
    expect(basisLine(result.basis)).toBe("From the feed's teaser: the article is for subscribers only");
  });

  it('refuses a private address when the guard is on, and says it is blocked', async () => {
    const guarded = createFullTextFetcher({
      fetcher: createFeedFetcher({ allowPrivate: false, minHostIntervalMs: 0 }),
      extractor: pool,
    });
    const result = await guarded.enrich(teaserDraft('/article'));
    expect(result.basis).toEqual({ kind: 'teaser', reason: 'the page is on a blocked address' });
    expect(server.requests.filter((request) => request.path === '/article').length).toBe(1);
  });

  it('follows the policy: never fetches under never, fetches a long item under always', async () => {
    const draft = teaserDraft('/article');
    const fullText = fresh();
    const never = await fullText.enrich(draft, { policy: 'never' });
    expect(never.basis).toEqual({ kind: 'teaser', reason: 'full-text fetching is off for this feed' });
    expect(never.counts).toEqual({ fetched: 0, failed: 0, paywalled: 0 });
    const long = {
      ...draft,
      body: Array.from({ length: 10 }, () => ({
        type: 'paragraph' as const,
        text: 'A long feed paragraph with words. '.repeat(3),
      })),
    };
    expect((await fullText.enrich(long)).basis).toEqual({ kind: 'feed' });
    expect((await fullText.enrich(long, { policy: 'always' })).basis).toEqual({ kind: 'full' });
  });

  it('fetches a long item of a feed whose history is mostly teasers', async () => {
    const history = createTeaserHistory();
    const own = createFullTextFetcher({
      fetcher: createFeedFetcher({ allowPrivate: true, minHostIntervalMs: 0 }),
      extractor: pool,
      history,
    });
    for (let i = 0; i < 4; i++) history.record(server.url('/feed.xml'), true);
    const long = {
      ...teaserDraft('/article'),
      body: Array.from({ length: 10 }, () => ({
        type: 'paragraph' as const,
        text: 'A long feed paragraph with words. '.repeat(3),
      })),
    };
    expect((await own.enrich(long)).basis).toEqual({ kind: 'full' });
  });
});
