import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from '../fakes/feed-server.js';
import { seededBotEnv } from '../support/bot-env.js';
import { runBot } from '../support/bot-process.js';

// Sentences and a speaker that appear only on the article page, never in the feed.
const PAGE_SENTENCE = 'Divers found that the old pier pilings had rotted through in at least nine places.';
const PAGE_QUOTE = 'We cannot let anyone walk on that pier until every piling has been replaced';
const PAGE_SPEAKER = 'Miriam Okafor';

const PIER_TEASER = 'The town pier is closed indefinitely after an inspection found serious damage beneath the deck.';
const LOCKED_TEASER = 'Councillors postponed the budget vote for a third time after a late dispute over road funding.';

/** A BBC-style teaser: a 15-word description and a link to the page. */
function feed(server: FeedServer): string {
  const item = (slug: string, title: string, teaser: string) => `<item><title>${title}</title>
<description>${teaser}</description><link>${server.url(`/news/${slug}`)}</link>
<guid isPermaLink="false">${slug}</guid><pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate></item>`;
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Loopback World</title>
<link>${server.origin}</link><description>Teasers only</description>
${item('pier', 'Seaside pier closed after divers find rot', PIER_TEASER)}
${item('locked', 'Council budget vote delayed again', LOCKED_TEASER)}
</channel></rss>`;
}

/** A news page with the furniture real ones have: cookie banner, navigation, related links, footer. */
function page(): string {
  const paragraphs = [
    `The town's Victorian pier was closed on Monday after a survey commissioned by the council. ${PAGE_SENTENCE}`,
    `"${PAGE_QUOTE}," said ${PAGE_SPEAKER}, the engineer who led the survey.`,
    'The council said repairs would take at least eighteen months and cost an estimated four million pounds.',
    'Local traders, who depend on summer visitors walking the length of the pier, said the news was a heavy blow.',
    'The pier first opened in 1889 and was last restored in the 1990s with help from a heritage lottery grant.',
    'A public meeting about the repairs has been called for next Thursday evening at the town hall.',
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Seaside pier closed after divers find rot - Loopback News</title>
<meta property="og:title" content="Seaside pier closed after divers find rot"></head><body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to give you the best experience on our site.</p>
<button>Accept all cookies</button><button>Manage preferences</button></div>
<header><nav aria-label="Main"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<main><article><h1>Seaside pier closed after divers find rot</h1>
<p class="byline">By Sam Reporter, Loopback News</p>
${paragraphs.map((text) => `<p>${text}</p>`).join('\n')}
</article>
<aside class="related"><h2>Related stories</h2><ul>
<li><a href="/news/a">Beach huts damaged in winter storms across the coast</a></li>
<li><a href="/news/b">Lifeboat crews called out twice in one night</a></li></ul></aside></main>
<footer><p>Copyright 2026 Loopback News. All rights reserved.</p><a href="/terms">Terms of use</a></footer>
</body></html>`;
}

describe('full text in the terminal bot', () => {
  let server: FeedServer;
  let env: Record<string, string>;
  let cleanup: () => void;
  beforeEach(async () => {
    server = await startFeedServer();
    server.serve('/feed.xml', feed(server), { 'content-type': 'application/rss+xml' });
    server.serve('/news/pier', page(), { 'content-type': 'text/html; charset=utf-8' });
    server.serve('/news/locked', '<html><body>Forbidden</body></html>', { 'content-type': 'text/html' }, 403);
    ({ env, cleanup } = seededBotEnv('fulltext.db'));
    env.FEED_ALLOW_PRIVATE = 'true';
    // The operator's feed: its articles are what the terminal sees.
    env.FEED_URLS = server.url('/feed.xml');
  });
  afterEach(async () => {
    cleanup();
    await server.close();
  });

  it('summarises teaser items from their pages, names a page-only speaker, and says the basis', async () => {
    const ingest = await runBot('cli', ['ingest', server.url('/feed.xml')], env);
    expect(ingest.code).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ status: 'ok', new: 2, fetched: 1, failed: 1, paywalled: 0 });

    const latest = await runBot('cli', ['latest'], env);
    const idOf = (title: string) => new RegExp(`${title}[\\s\\S]*?id ([0-9a-z]{6,10})`).exec(latest.stdout)?.[1];
    const pier = idOf('Seaside pier closed');
    const locked = idOf('Council budget vote');
    expect(pier).toBeDefined();
    expect(locked).toBeDefined();

    const run = await runBot(
      'main',
      [],
      env,
      `/news summary ${pier}\n/news sources ${pier}\n/news summary ${locked}\n`,
    );
    expect(run.code).toBe(0);
    const [pierSummary = '', pierSources = '', lockedSummary = ''] = run.stdout
      .split(/(?=Seaside pier|Council budget)/)
      .slice(-3);
    const flat = (text: string) => text.replace(/\s+/g, ' ');
    expect(flat(pierSummary)).toContain(PAGE_SENTENCE);
    expect(pierSummary).toContain('From the full article');
    expect(pierSources).toContain(PAGE_SPEAKER);
    expect(pierSummary).toContain('by Sam Reporter, Loopback News');
    expect(pierSummary).not.toContain('by By');
    expect(pierSources).toContain('From the full article');
    expect(flat(lockedSummary)).toContain("From the feed's teaser");
    expect(flat(lockedSummary)).toContain('403');
    // The furniture around the article is not in what the bot says about it.
    expect(run.stdout).not.toContain('Accept all cookies');
    expect(run.stdout).not.toContain('Beach huts damaged');
    const ua = server.requests.find((request) => request.path === '/news/pier')?.headers['user-agent'];
    expect(ua).toMatch(/^newsdesk\//);
  }, 60_000);
});
