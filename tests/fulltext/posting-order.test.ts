import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { type FeedServer, startFeedServer } from '../fakes/feed-server.js';
import { openTestApp, recordingPlatform } from '../support/app.js';
import { seededBotEnv } from '../support/bot-env.js';
import { pollUntil, sleep } from '../support/poll.js';

const PAGE_SENTENCE = 'Engineers said the ferry terminal would need a new roof before the winter storms arrived.';

function rss(hostOf: (slug: string) => FeedServer, slugs: string[]): string {
  const items = slugs.map(
    (slug) => `<item><title>Story ${slug}</title><link>${hostOf(slug).url(`/news/${slug}`)}</link><guid>${slug}</guid>
<description>A short teaser about story ${slug} that stops well before the article does.</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title>${items.join('')}</channel></rss>`;
}

function page(slug: string): string {
  const paragraphs = [
    `Story ${slug} begins with the harbour board meeting on Tuesday morning. ${PAGE_SENTENCE}`,
    'The board agreed to spend the reserve fund on the repairs, after a long debate that ran into the evening.',
    'Ferry operators said they would keep running a reduced timetable while the builders were on site.',
    'Passengers were told to check the timetable online before travelling, and to allow extra time.',
    'The work is expected to take about six weeks, weather permitting, and to finish before December.',
  ];
  return `<!doctype html><html><head><title>Story ${slug}</title></head><body><nav><a href="/">Home</a></nav>
<article><h1>Story ${slug}</h1>${paragraphs.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
}

describe('a teaser waits a bounded time for its page before it is posted', () => {
  let server: FeedServer;
  // The slow page lives on a host of its own: pages of one host take turns (the page gate), so on one
  // host the quick page could queue behind the slow one and be late for reasons of order, not speed.
  let slowHost: FeedServer;
  let cleanup: () => void;
  let env: Record<string, string>;
  let app: App | undefined;
  beforeEach(async () => {
    server = await startFeedServer();
    slowHost = await startFeedServer();
    ({ env, cleanup } = seededBotEnv('order.db'));
    // The wait is generous so the quick page (fetch plus extraction in a worker) is on time on a loaded
    // machine too; the slow page is late by construction: it is held until its teaser has been posted.
    Object.assign(env, { FEED_ALLOW_PRIVATE: 'true', FULLTEXT_WAIT_SECONDS: '5', POST_SCHEDULE: '*/1 * * * * *' });
  });
  afterEach(async () => {
    await app?.stop('test done');
    app = undefined;
    cleanup();
    await server.close();
    await slowHost.close();
  });

  it('posts the page summary when the page is quick; posts the teaser and edits when it is slow', async () => {
    const platform = recordingPlatform();
    app = await openTestApp(env, { platforms: [platform.descriptor] });
    const feedUrl = server.url('/feed.xml');
    const hostOf = (slug: string) => (slug === 'slow' ? slowHost : server);
    server.serve('/feed.xml', rss(hostOf, ['old']), { 'content-type': 'application/rss+xml' });
    server.serve('/news/old', page('old'), { 'content-type': 'text/html' });
    await app.poller.ensureFeeds([feedUrl]);
    await app.poller.pollOnce(feedUrl); // the first poll records what is there without posting it

    server.serve('/feed.xml', rss(hostOf, ['old', 'quick', 'slow']), { 'content-type': 'application/rss+xml' });
    server.serve('/news/quick', page('quick'), { 'content-type': 'text/html' });
    let answerSlow: (() => void) | undefined;
    slowHost.route('/news/slow', (_req, res) => {
      answerSlow = () => res.writeHead(200, { 'content-type': 'text/html' }).end(page('slow'));
    });
    expect(await app.poller.pollOnce(feedUrl)).toMatchObject({ status: 'ok', firstPoll: false, new: 2 });
    const postOf = (title: string) => platform.posts.find((post) => JSON.stringify(post.reply).includes(title));
    await pollUntil(() => postOf('Story quick') !== undefined && postOf('Story slow') !== undefined, 'both posts', {
      timeoutMs: 15_000,
    });
    expect(JSON.stringify(postOf('Story quick')?.reply)).toContain('Story quick begins with the harbour board');
    expect(JSON.stringify(postOf('Story slow')?.reply)).toContain('A short teaser about story slow');
    await pollUntil(() => answerSlow !== undefined, 'the request for the slow page');
    answerSlow?.();

    await app.fullText.idle();
    const editOf = () => platform.edits.find((edit) => JSON.stringify(edit.reply).includes('Story slow'));
    await pollUntil(() => editOf() !== undefined, 'the edit with the page text', { timeoutMs: 15_000 });
    expect(JSON.stringify(editOf()?.reply)).toContain('Story slow begins with the harbour board');
    await sleep(1_200);
    expect(platform.edits.filter((edit) => JSON.stringify(edit.reply).includes('Story quick'))).toEqual([]);
  }, 60_000);
});
