import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { type FeedServer, startFeedServer } from '../fakes/feed-server.js';
import { answerDelay } from '../fakes/latency.js';
import { openTestApp, recordingPlatform } from '../support/app.js';
import { seededBotEnv } from '../support/bot-env.js';
import { pollUntil, sleep } from '../support/poll.js';

const PAGE_SENTENCE = 'The lifeboat crew reached the stranded yacht just after midnight, guided by its flares.';

function rss(server: FeedServer, slugs: string[], other?: FeedServer): string {
  // The gone page lives on another site, so the flaky site's back-off does not skip it.
  const host = (slug: string) => (slug === 'gone' && other ? other : server);
  const items = slugs.map(
    (slug) => `<item><title>Story ${slug}</title><link>${host(slug).url(`/news/${slug}`)}</link><guid>${slug}</guid>
<description>A short teaser about story ${slug} that stops well before the article does.</description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback</title>${items.join('')}</channel></rss>`;
}

function page(slug: string): string {
  const paragraphs = [
    `Story ${slug} starts on the coast road. ${PAGE_SENTENCE}`,
    'Coastguard officers said the sea had been rough all evening, with gusts well above the forecast.',
    'The two sailors on board were cold but unhurt, and were taken to the harbour to be checked over.',
    'The yacht was towed in at first light, and the harbour master said it had lost its rudder.',
    'The crew thanked the volunteers who turned out on a bitter night to launch the boat at short notice.',
  ];
  return `<!doctype html><html><head><title>Story ${slug}</title></head><body>
<article><h1>Story ${slug}</h1>${paragraphs.map((text) => `<p>${text}</p>`).join('')}</article></body></html>`;
}

/** A port nobody listens on now, so the test can scrape the bot's /metrics. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('a teaser whose page failed for a passing reason is fetched again on its own schedule', () => {
  let server: FeedServer;
  let elsewhere: FeedServer;
  let cleanup: () => void;
  let env: Record<string, string>;
  let app: App | undefined;
  let scrape: () => Promise<string>;
  beforeEach(async () => {
    server = await startFeedServer();
    elsewhere = await startFeedServer();
    ({ env, cleanup } = seededBotEnv('retry.db'));
    Object.assign(env, {
      FEED_ALLOW_PRIVATE: 'true',
      FULLTEXT_WAIT_SECONDS: '5',
      FULLTEXT_RETRY_SECONDS: '1',
      POST_SCHEDULE: '*/1 * * * * *',
      HTTP_HOST: '127.0.0.1',
      PORT: String(await freePort()),
    });
    scrape = async () => (await fetch(`http://127.0.0.1:${env.PORT}/metrics`)).text();
  });
  afterEach(async () => {
    await app?.stop('test done');
    app = undefined;
    cleanup();
    await server.close();
    await elsewhere.close();
  });

  it('keeps the retry across a restart and edits the post when the page comes; a 404 is not retried', async () => {
    const first = recordingPlatform();
    app = await openTestApp(env, { platforms: [first.descriptor] });
    const feedUrl = server.url('/feed.xml');
    server.serve('/feed.xml', rss(server, ['old']));
    server.serve('/news/old', page('old'), { 'content-type': 'text/html' });
    await app.poller.ensureFeeds([feedUrl]);
    await app.poller.pollOnce(feedUrl); // the first poll records what is there without posting it

    // The page answers 503 (with realistic latency) until the site recovers; the other page is gone.
    let recovered = false;
    let flakyRequests = 0;
    server.route('/news/flaky', (_req, res) => {
      flakyRequests++;
      void answerDelay({ ms: 100 }).then(() => {
        if (recovered) res.writeHead(200, { 'content-type': 'text/html' }).end(page('flaky'));
        else res.writeHead(503, { 'content-type': 'text/plain' }).end('busy');
      });
    });
    elsewhere.serve('/news/gone', 'not here', { 'content-type': 'text/plain' }, 404);
    server.serve('/feed.xml', rss(server, ['old', 'flaky', 'gone'], elsewhere));
    expect(await app.poller.pollOnce(feedUrl)).toMatchObject({ status: 'ok', new: 2 });

    const keyOf = async (title: string) => (await app!.stores.articles.latest(10)).find((a) => a.title === title)?.key;
    const flakyKey = (await keyOf('Story flaky'))!;
    const goneKey = (await keyOf('Story gone'))!;
    const pending = await app.stores.fullTextRetries.get(flakyKey);
    expect(pending).toMatchObject({ state: 'pending', attempts: 0, reason: 'the page could not be read (503)' });
    expect(await app.stores.fullTextRetries.get(goneKey)).toBeUndefined();
    const postOf = (platform: typeof first, title: string) =>
      platform.posts.find((post) => JSON.stringify(post.reply).includes(title));
    await pollUntil(() => postOf(first, 'Story flaky') !== undefined, 'the teaser post', { timeoutMs: 15_000 });
    expect(JSON.stringify(postOf(first, 'Story flaky')?.reply)).toContain('A short teaser about story flaky');

    // A retry while the site is still down: the attempt is counted and the row stays.
    await pollUntil(() => flakyRequests >= 2, 'a retry of the page', { timeoutMs: 15_000 });
    let retried = await app.stores.fullTextRetries.get(flakyKey);
    for (let i = 0; i < 200 && retried?.attempts === 0; i++) {
      await sleep(25);
      retried = await app.stores.fullTextRetries.get(flakyKey);
    }
    expect(retried).toMatchObject({ state: 'pending', attempts: 1, reason: 'the page could not be read (503)' });
    const before = await scrape();
    expect(before).toMatch(/^newsdesk_fulltext_fetches_total\{outcome="teaser",reason="status_5xx"\} [2-9]$/m);
    expect(before).toMatch(/^newsdesk_fulltext_fetches_total\{outcome="teaser",reason="status_4xx"\} 1$/m);
    expect(before).toMatch(/^newsdesk_fulltext_retries_pending 1$/m);

    // Restart: the new process finds the retry in the database and fetches the page once it is back.
    await app.stop('restart');
    const second = recordingPlatform();
    recovered = true;
    app = await openTestApp(env, { platforms: [second.descriptor] });
    const editOf = () => second.edits.find((edit) => JSON.stringify(edit.reply).includes('Story flaky'));
    await pollUntil(() => editOf() !== undefined, 'the edit with the page text', { timeoutMs: 20_000 });
    expect(JSON.stringify(editOf()?.reply)).toContain('Story flaky starts on the coast road');
    const stored = await app.stores.articles.getByKey(flakyKey);
    expect(stored?.basis).toEqual({ kind: 'full' });
    expect(stored?.summary.sentences.join(' ')).toContain('lifeboat crew reached the stranded yacht');
    expect(await app.stores.fullTextRetries.get(flakyKey)).toBeUndefined();
    const after = await scrape();
    expect(after).toMatch(/^newsdesk_fulltext_fetches_total\{outcome="full",reason="none"\} 1$/m);
    expect(after).toMatch(/^newsdesk_fulltext_extract_duration_seconds_count 1$/m);
    expect(after).toMatch(/^newsdesk_fulltext_retries_pending 0$/m);
    // The 404 was asked for once, at the poll, and never again.
    expect(elsewhere.requests.filter((request) => request.path === '/news/gone')).toHaveLength(1);
    const gone = await app.stores.articles.getByKey(goneKey);
    expect(gone?.basis).toEqual({ kind: 'teaser', reason: 'the page could not be read (404)' });
  }, 90_000);
});
