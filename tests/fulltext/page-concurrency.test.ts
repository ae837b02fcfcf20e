import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { answerDelay, type Latency } from '../fakes/latency.js';
import { type FeedServer, startFeedServer } from '../fakes/feed-server.js';
import { openTestApp, recordingPlatform } from '../support/app.js';
import { seededBotEnv } from '../support/bot-env.js';
import { articlePage } from './pages.js';

interface Visit {
  host: string;
  start: number;
  end?: number;
}

/** An article host on its own port (so its own `host`), answering pages after `latency`. */
async function pageHost(name: string, latency: Latency, visits: Visit[]) {
  const server = await startFeedServer();
  let active = 0;
  let mostAtOnce = 0;
  for (let n = 1; n <= 3; n++) {
    server.route(`/story/${n}`, (_req, res) => {
      const visit: Visit = { host: name, start: performance.now() };
      visits.push(visit);
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      void answerDelay(latency).then(() => {
        active--;
        visit.end = performance.now();
        res.writeHead(200, { 'content-type': 'text/html' }).end(articlePage({ title: `Story ${name} ${n}` }));
      });
    });
  }
  return { server, name, mostAtOnce: () => mostAtOnce };
}

function teaserFeed(hosts: { server: FeedServer; name: string }[]): string {
  const items: string[] = [];
  for (let n = 1; n <= 3; n++) {
    for (const { server, name } of hosts) {
      items.push(`<item><title>Story ${name} ${n}</title><link>${server.url(`/story/${n}`)}</link>
<guid>${name}-${n}</guid><description>A short teaser for story ${name} ${n}.</description></item>`);
    }
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Mixed hosts</title>${items.join('')}</channel></rss>`;
}

describe("a feed's teaser pages are fetched side by side, politely", () => {
  let feedServer: FeedServer;
  let hosts: Awaited<ReturnType<typeof pageHost>>[];
  let visits: Visit[];
  let env: Record<string, string>;
  let cleanup: () => void;
  let app: App | undefined;
  beforeEach(async () => {
    visits = [];
    feedServer = await startFeedServer();
    // Realistic page latency for two hosts; the third is a slow site (about 3 s a page).
    hosts = [
      await pageHost('slow', { ms: 3_000, jitter: 0.1 }, visits),
      await pageHost('alpha', { ms: 250 }, visits),
      await pageHost('beta', { ms: 250 }, visits),
    ];
    ({ env, cleanup } = seededBotEnv('pages.db'));
    Object.assign(env, { FEED_ALLOW_PRIVATE: 'true', FULLTEXT_WAIT_SECONDS: '4' });
  });
  afterEach(async () => {
    await app?.stop('test done');
    app = undefined;
    cleanup();
    await feedServer.close();
    for (const host of hosts) await host.server.close();
  });

  it('overlaps pages of different hosts, never two at once on one host, and a slow host holds up nobody', async () => {
    app = await openTestApp(env, { platforms: [recordingPlatform().descriptor] });
    const feedUrl = feedServer.url('/feed.xml');
    feedServer.serve('/feed.xml', teaserFeed(hosts));
    await app.poller.ensureFeeds([feedUrl]);

    const polled = await app.poller.pollOnce(feedUrl);
    expect(polled).toMatchObject({ status: 'ok', new: 9 });
    // The poll is over while the slow host is still on its pages; the quick hosts are done.
    const doneBy = (name: string) => visits.filter((visit) => visit.host === name && visit.end !== undefined).length;
    expect(doneBy('alpha')).toBe(3);
    expect(doneBy('beta')).toBe(3);
    expect(doneBy('slow')).toBeLessThan(3);

    await app.fullText.idle();
    expect(visits).toHaveLength(9);
    for (const host of hosts) expect(host.mostAtOnce()).toBe(1);
    // Some page of a quick host was answered while the slow host's first page was being served.
    const slowFirst = visits.find((visit) => visit.host === 'slow')!;
    const overlapping = visits.filter(
      (visit) => visit.host !== 'slow' && visit.start < slowFirst.end! && visit.end! > slowFirst.start,
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(2);
    expect(new Set(overlapping.map((visit) => visit.host))).toEqual(new Set(['alpha', 'beta']));

    // Every item, the slow ones too, ends up with its page's text.
    const latest = await app.stores.articles.latest(20);
    const stories = latest.filter((article) => article.title.startsWith('Story '));
    expect(stories).toHaveLength(9);
    for (const story of stories) expect(story.basis).toEqual({ kind: 'full' });
  }, 60_000);
});
