import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { seededBotEnv } from '../support/bot-env.js';
import { startFeedServer, type FeedServer } from '../fakes/feed-server.js';
import { makeInput } from '../support/articles.js';

const LONG_TITLE = `Hostile headline ${'council budget vote '.repeat(2_000)}`.slice(0, 40_000);
const ESCAPES = 'Escape \x1b]0;pwned\x07 title \x1b[2J\u202eevil';

function hostileFeed(): string {
  const item = (n: number, title: string, body: string) =>
    `<item><title><![CDATA[${title}]]></title><link>https://news.example/h/${n}</link><guid>h-${n}</guid>` +
    `<description><![CDATA[<p>${body}</p>]]></description><pubDate>${new Date(Date.UTC(2024, 0, 1, n)).toUTCString()}</pubDate></item>`;
  const items = [
    item(1, LONG_TITLE, 'Officials said the vote was close. '.repeat(40)),
    item(2, '[a'.repeat(10_000), '[a](b'.repeat(4_000)),
    item(3, ESCAPES, `Body \x1b[31mred\x1b[0m and \x9b2J. ${'👨‍👩‍👧'.repeat(2_000)}`),
  ];
  const channel = '<title>Hostile</title><link>https://news.example/</link><description>x</description>';
  return `<?xml version="1.0"?><rss version="2.0"><channel>${channel}${items.join('')}</channel></rss>`;
}

/** Polls /healthz every 50 ms for as long as the test runs, recording status and latency. */
function pollHealth(port: () => number | undefined) {
  const samples: { ms: number; status: number; at: number }[] = [];
  const start = performance.now();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const current = port();
      if (current) {
        const started = performance.now();
        const status = await fetch(`http://127.0.0.1:${current}/healthz`, { signal: AbortSignal.timeout(3_000) })
          .then((res) => res.status)
          .catch(() => 0);
        samples.push({ ms: performance.now() - started, status, at: Math.round(started - start) });
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    samples,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/** The bot's port once it listens, and nothing while it is being stopped on purpose. */
const portOf = (bot: BotProcess, stopping: boolean) =>
  stopping ? undefined : (bot.logs().find((line) => line.msg === 'http listening')?.port as number | undefined);

describe('hostile input cannot stop the bot (terminal mode, loopback feed, restart)', () => {
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  let feeds: FeedServer;
  beforeEach(async () => {
    ({ dir, cleanup, env } = seededBotEnv());
    feeds = await startFeedServer();
    feeds.serve('/hostile.xml', hostileFeed());
    Object.assign(env, {
      FEED_URLS: feeds.url('/hostile.xml'),
      FEED_ALLOW_PRIVATE: 'true',
      POST_SCHEDULE: '*/1 * * * * *',
    });
  });
  afterEach(async () => {
    await feeds.close();
    cleanup();
  });

  it('stays healthy with a catastrophic filter and hostile feed items, and restarts ready in seconds', {
    timeout: 90_000,
  }, async () => {
    let bot = startBot('main', [], env);
    let stopping = false;
    const health = pollHealth(() => portOf(bot, stopping));
    try {
      await bot.waitFor(() => bot.logs().some((line) => line.msg === 'newsdesk ready'), 'ready');
      await bot.waitFor(() => bot.logs().some((line) => line.msg === 'feed polled'), 'the hostile feed to be polled');
      // The filter that doubles V8's time every two characters of English.
      bot.child.stdin.write('/news subscribe filter=/(\\w+\\s?)+$/\n');
      await bot.waitFor(
        () => bot.stdout().includes('Subscription updated') || bot.stdout().includes('Subscribed'),
        'subscribe',
      );
      const sentence = 'The council met on Tuesday and the minister said the budget would pass ';
      const english = `A perfectly ordinary story\n\nBy Jane Doe\n\n${sentence.repeat(40)}\n`;
      writeFileSync(join(dir, 'articles', 'ordinary.txt'), english);
      await bot.waitFor(
        () => bot.logs().some((line) => line.msg === 'article stored' && String(line.file).endsWith('ordinary.txt')),
        'ingest',
      );
      // Fan-out ran the filter; the terminal post comes on the next one-second tick.
      await bot.waitFor(
        () => bot.stdout().includes('[console:main] new article\n■ A perfectly ordinary story'),
        'the post',
        10_000,
      );
      bot.child.stdin.write('/news latest 10\n');
      await bot.waitFor(() => bot.stdout().includes('Hostile headline council budget vote'), '/news latest');
      const out = bot.stdout();
      expect(out).not.toMatch(/\x1b|\x9b|\u202e/);
      expect(out).toContain('Escape  title');
      stopping = true;
      bot.child.kill('SIGTERM');
      expect((await bot.exited).code).toBe(0);

      // Old code could store a pattern RE2 cannot run; an article is left in the outbox for it.
      const stores = openSqliteStores(join(dir, 'data', 'bot.db'));
      const poison = { include: [], exclude: [], tags: [], sources: [], regex: '/(\\w+)\\s\\1/' };
      await stores.subscriptions.putSubscription({
        channel: 'console:main',
        filter: poison,
        digest: 0,
        paused: false,
        origin: 'command',
        createdAt: '2024-01-01T00:00:00.000Z',
      });
      await stores.articles.upsert({
        ...makeInput({ title: 'Left in the outbox before the restart' }),
        announce: true,
      });
      await stores.close();

      const restarted = Date.now();
      bot = startBot('main', [], env);
      stopping = false;
      await bot.waitFor(() => bot.logs().some((line) => line.msg === 'newsdesk ready'), 'ready after restart', 15_000);
      const readyMs = Date.now() - restarted;
      expect(readyMs).toBeLessThan(10_000);
      const quarantined = bot.logs().filter((line) => line.msg === 'subscription quarantined');
      expect(quarantined).toHaveLength(1);
      expect(quarantined[0]).toMatchObject({
        channel: 'console:main',
        reason: expect.stringContaining('backreferences'),
      });
      bot.child.stdin.write('/news latest 3\n/news subscriptions\n');
      await bot.waitFor(
        () => bot.stdout().includes('Left in the outbox before the restart'),
        '/news latest after restart',
      );
      expect(bot.stdout()).toContain('QUARANTINED, nothing is posted');
      // A few scheduled ticks with the quarantined subscription in place.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      stopping = true;
      bot.child.stdin.end();
      expect((await bot.exited).code).toBe(0);
      console.info(JSON.stringify({ figure: 'hostile_restart_ready_ms', value: readyMs }));
    } finally {
      if (bot.child.exitCode === null) bot.child.kill('SIGKILL');
      await health.stop();
    }
    const worst = Math.max(...health.samples.map((sample) => sample.ms));
    console.info(
      JSON.stringify({ figure: 'hostile_healthz_worst_ms', value: Math.round(worst), samples: health.samples.length }),
    );
    expect(health.samples.length).toBeGreaterThan(40);
    expect(health.samples.filter((sample) => sample.status !== 200)).toEqual([]);
    expect(worst).toBeLessThan(1_000);
  });
});
