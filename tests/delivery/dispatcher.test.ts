import { deliveryOf } from '../support/deliveries.js';
import { pollUntil, sleep } from '../support/poll.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, deliveryNonce, type DispatcherDeps } from '../../src/delivery/dispatcher.js';
import type { RateLimiter } from '../../src/delivery/rate-limiter.js';
import type { ChannelId } from '../../src/domain/channel.js';
import { NewsdeskError } from '../../src/domain/errors.js';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import {
  ledgerWithArticles,
  scriptedAdapter,
  silentLog,
  subscription,
  type PostScript,
} from './support/scripted-adapter.js';

const T0 = Date.parse('2030-01-02T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('the dispatcher (scripted adapter, real SQLite ledger)', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  async function setup(options: {
    articles?: number;
    channels: ChannelId[];
    script?: PostScript;
    deps?: Partial<DispatcherDeps>;
    digest?: number;
  }) {
    const ledger = await ledgerWithArticles(options.articles ?? 3);
    close = ledger.close;
    const stores: SqliteStores = ledger.stores;
    for (const channel of options.channels)
      await stores.subscriptions.putSubscription(subscription(channel, { digest: options.digest ?? 0 }));
    // Rows are queued one second apart, oldest article first.
    for (const [index, id] of ledger.ids.entries())
      await stores.deliveries.enqueue(id, options.channels, iso(T0 - 60_000 + index * 1000));
    const discord = scriptedAdapter('discord', options.script);
    const clock = { now: T0 };
    const dispatcher = createDispatcher({
      stores,
      adapters: { discord },
      log: silentLog,
      perChannelPerTick: 5,
      now: () => new Date(clock.now),
      ...options.deps,
    });
    return { stores, ids: ledger.ids, discord, clock, dispatcher };
  }

  it('flood control: at most M posts per channel per tick, oldest first; the rest wait for the next tick', async () => {
    const { stores, ids, discord, dispatcher } = await setup({
      articles: 8,
      channels: ['discord:1'],
      deps: { perChannelPerTick: 3 },
    });
    expect(await dispatcher.tick()).toMatchObject({ sent: 3 });
    expect(discord.posts.map((post) => post.options.articleId)).toEqual(ids.slice(0, 3));
    expect(await stores.deliveries.countByState()).toMatchObject({ sent: 3, pending: 5 });
    await dispatcher.tick();
    expect(discord.posts.map((post) => post.options.articleId)).toEqual(ids.slice(0, 6));
    await dispatcher.tick();
    expect(await stores.deliveries.countByState()).toMatchObject({ sent: 8, pending: 0 });
  });

  it('digest mode: one message for up to N articles, every row sent with that message id', async () => {
    const { stores, ids, discord, dispatcher } = await setup({ articles: 6, channels: ['discord:1'], digest: 4 });
    expect(await dispatcher.tick()).toMatchObject({ sent: 4 });
    expect(discord.posts).toHaveLength(1);
    const reply = discord.posts[0]!.reply;
    expect(reply.kind === 'articles' && reply.cards.map((card) => card.id)).toEqual(ids.slice(0, 4));
    expect(reply.kind === 'articles' && reply.heading).toBe('News digest: 4 new articles');
    const rows = await Promise.all(ids.slice(0, 4).map((id) => deliveryOf(stores.deliveries, id, 'discord:1')));
    expect(new Set(rows.map((row) => row?.messageId))).toEqual(new Set(['m1']));
    await dispatcher.tick();
    expect(discord.posts).toHaveLength(2);
    expect(discord.posts[1]!.reply.kind === 'articles' && discord.posts[1]!.reply.cards).toHaveLength(2);
  });

  it('a forbidden channel fails each row once, with the reason, and the other channels carry on', async () => {
    const refused = new NewsdeskError('forbidden', 'The bot may not post in discord:1: Missing Permissions', {
      discordCode: 50013,
    });
    const { stores, discord, dispatcher } = await setup({
      articles: 2,
      channels: ['discord:1', 'discord:2', 'discord:3'],
      script: (call) => (call.channel === 'discord:1' ? refused : { messageId: '' }),
    });
    const first = await dispatcher.tick();
    expect(first).toMatchObject({ sent: 4, failed: 1 });
    await dispatcher.tick();
    await dispatcher.tick();
    expect(discord.posts.filter((post) => post.channel === 'discord:1')).toHaveLength(2);
    expect(discord.posts.filter((post) => post.channel !== 'discord:1')).toHaveLength(4);
    const status = await stores.deliveries.channelStatus('discord:1', 5);
    expect(status.failed).toHaveLength(2);
    expect(status.failed.every((row) => row.attempts === 1 && row.lastError === refused.message)).toBe(true);
    expect(status.pending).toBe(0);
  });

  it('a transient error is retried with growing backoff, then the row fails after N attempts with the reason', async () => {
    const { stores, ids, discord, clock, dispatcher } = await setup({
      articles: 1,
      channels: ['discord:1'],
      script: () => new NewsdeskError('transient', 'Discord answered 502 in discord:1'),
      deps: { maxAttempts: 3 },
    });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await dispatcher.tick()).toMatchObject(attempt < 3 ? { retried: 1 } : { failed: 1 });
      const row = (await deliveryOf(stores.deliveries, ids[0]!, 'discord:1'))!;
      expect(row.attempts).toBe(attempt);
      expect(row.lastError).toContain('Discord answered 502');
      if (attempt < 3) {
        const wait = Date.parse(row.notBefore!) - clock.now;
        waits.push(wait);
        // Not due before its time.
        await dispatcher.tick();
        expect(discord.posts).toHaveLength(attempt);
        clock.now += wait;
      }
    }
    // Full jitter around 5 s, then 10 s.
    expect(waits[0]).toBeGreaterThanOrEqual(2_500);
    expect(waits[0]).toBeLessThanOrEqual(5_000);
    expect(waits[1]).toBeGreaterThanOrEqual(5_000);
    expect(waits[1]).toBeLessThanOrEqual(10_000);
    const status = await stores.deliveries.channelStatus('discord:1', 5);
    expect(status.failed[0]?.lastError).toBe('Discord answered 502 in discord:1 (gave up after 3 attempts)');
    expect(status.failed[0]?.attempts).toBe(3);
    await dispatcher.tick();
    expect(discord.posts).toHaveLength(3);
  });

  it('a 429 waits exactly Retry-After, never counts towards giving up, and a global one pauses the platform', async () => {
    const paused: number[] = [];
    const limiter: RateLimiter = {
      acquire: async () => ({ waitedMs: 0, sent() {}, done() {} }),
      pauseAll: (ms) => paused.push(ms),
    };
    const { stores, ids, discord, clock, dispatcher } = await setup({
      articles: 1,
      channels: ['discord:1'],
      script: (_, attempt) =>
        attempt <= 3
          ? new NewsdeskError('rate_limited', 'Discord rate limit; retry in 7 s', {
              retryAfterMs: 7_000,
              global: attempt === 1,
            })
          : { messageId: '' },
      deps: { maxAttempts: 2, limiters: { discord: limiter } },
    });
    for (let i = 0; i < 3; i += 1) {
      expect(await dispatcher.tick()).toMatchObject({ retried: 1 });
      const row = (await deliveryOf(stores.deliveries, ids[0]!, 'discord:1'))!;
      expect(row.state).toBe('pending');
      expect(Date.parse(row.notBefore!) - clock.now).toBe(7_000);
      clock.now += 6_999;
      expect(await dispatcher.tick()).toMatchObject({ sent: 0, retried: 0 });
      clock.now += 1;
    }
    expect(paused).toEqual([7_000]);
    expect(await dispatcher.tick()).toMatchObject({ sent: 1 });
    expect(discord.posts).toHaveLength(4);
  });

  it('a row left in `sending` by a crash is resolved by findPosted, without posting again', async () => {
    const { stores, ids, discord, dispatcher } = await setup({ articles: 2, channels: ['discord:1'] });
    // The killed process had marked the row and its post had reached the platform.
    await stores.deliveries.markSending(ids[0]!, 'discord:1', iso(T0 - 1000));
    discord.posted.set('discord:1', [{ messageId: 'm-before-kill', articleId: ids[0]! }]);
    expect(await dispatcher.tick()).toMatchObject({ sent: 2 });
    expect(discord.lookups.map((lookup) => lookup.options.articleId)).toEqual([ids[0]]);
    expect(discord.posts.map((post) => post.options.articleId)).toEqual([ids[1]]);
    expect(await deliveryOf(stores.deliveries, ids[0]!, 'discord:1')).toMatchObject({
      state: 'sent',
      messageId: 'm-before-kill',
    });
  });

  it('a row left in `sending` whose post never left is sent once, with the same stable nonce', async () => {
    const { stores, ids, discord, dispatcher } = await setup({ articles: 1, channels: ['discord:1'] });
    await stores.deliveries.markSending(ids[0]!, 'discord:1', iso(T0 - 1000));
    await dispatcher.tick();
    await dispatcher.tick();
    expect(discord.posts).toHaveLength(1);
    expect(discord.posts[0]!.options.nonce).toBe(deliveryNonce(ids[0]!, 'discord:1'));
    expect(discord.posts[0]!.options.nonce.length).toBeLessThanOrEqual(25);
    expect(deliveryNonce(ids[0]!, 'discord:2')).not.toBe(deliveryNonce(ids[0]!, 'discord:1'));
  });

  it('an answer lost after the platform took the post (timeout, 5xx) is found on retry, not posted twice', async () => {
    const { stores, ids, discord, clock, dispatcher } = await setup({
      articles: 1,
      channels: ['discord:1'],
      script: (_, attempt) =>
        attempt === 1
          ? { took: true, error: new NewsdeskError('transient', 'Could not reach Discord: timed out') }
          : { messageId: '' },
    });
    expect(await dispatcher.tick()).toMatchObject({ retried: 1 });
    clock.now += 60_000;
    expect(await dispatcher.tick()).toMatchObject({ sent: 1 });
    expect(discord.posts).toHaveLength(1);
    expect(await deliveryOf(stores.deliveries, ids[0]!, 'discord:1')).toMatchObject({ state: 'sent', messageId: 'm1' });
  });

  it('a digest interrupted by a crash is sent again as the same batch, newer rows after it', async () => {
    const { stores, ids, discord, dispatcher } = await setup({ articles: 3, channels: ['discord:1'], digest: 5 });
    await stores.deliveries.markSending(ids[0]!, 'discord:1', iso(T0 - 1000));
    await stores.deliveries.markSending(ids[1]!, 'discord:1', iso(T0 - 1000));
    await dispatcher.tick();
    const first = discord.posts[0]!;
    expect(first.reply.kind === 'articles' && first.reply.cards.map((card) => card.id)).toEqual([ids[0], ids[1]]);
    expect(first.options.nonce).toBe(deliveryNonce(ids[0]!, 'discord:1'));
    await dispatcher.tick();
    expect(discord.posts).toHaveLength(2);
    expect(discord.posts[1]!.reply.kind === 'articles' && discord.posts[1]!.reply.cards.map((card) => card.id)).toEqual(
      [ids[2]],
    );
  });

  it('a paused channel keeps its rows; an unsubscribed one fails them with a reason; a platform without adapter waits', async () => {
    const { stores, ids, discord, dispatcher } = await setup({
      articles: 1,
      channels: ['discord:1', 'discord:2', 'slack:C1'],
    });
    await stores.subscriptions.setPaused('discord:1', true);
    await stores.subscriptions.removeSubscription('discord:2');
    expect(await dispatcher.tick()).toMatchObject({ sent: 0 });
    expect(discord.posts).toHaveLength(0);
    expect((await deliveryOf(stores.deliveries, ids[0]!, 'discord:1'))?.state).toBe('pending');
    expect(await deliveryOf(stores.deliveries, ids[0]!, 'discord:2')).toMatchObject({
      state: 'failed',
      lastError: 'the channel is no longer subscribed',
    });
    expect((await deliveryOf(stores.deliveries, ids[0]!, 'slack:C1'))?.state).toBe('pending');
    await stores.subscriptions.setPaused('discord:1', false);
    await dispatcher.tick();
    expect(discord.posts.map((post) => post.channel)).toEqual(['discord:1']);
  });

  it('a schedule tick sends only its channels; the retry loop only rows tried before', async () => {
    const { stores, ids, discord, clock, dispatcher } = await setup({
      articles: 1,
      channels: ['discord:1', 'discord:2'],
      script: (call, attempt) =>
        call.channel === 'discord:2' && attempt === 1
          ? new NewsdeskError('transient', 'Discord answered 503')
          : { messageId: '' },
    });
    await dispatcher.tick({ channels: ['discord:2'] });
    expect(discord.posts.map((post) => post.channel)).toEqual(['discord:2']);
    clock.now += 60_000;
    await dispatcher.tick({ retriesOnly: true });
    expect(discord.posts.map((post) => post.channel)).toEqual(['discord:2', 'discord:2']);
    expect((await deliveryOf(stores.deliveries, ids[0]!, 'discord:1'))?.state).toBe('pending');
    await dispatcher.tick({ channels: ['discord:1'] });
    expect(await stores.deliveries.countByState()).toMatchObject({ sent: 2, pending: 0 });
  });
});

describe('platform tracks (scripted adapters, real SQLite ledger)', () => {
  it("a schedule's next fire reaches Slack while Discord's last pass is still running", async () => {
    const ledger = await ledgerWithArticles(2);
    try {
      const { stores, ids } = ledger;
      const discordChannels = Array.from({ length: 8 }, (_, i) => `discord:${i + 1}` as ChannelId);
      const all: ChannelId[] = [...discordChannels, 'slack:C1'];
      for (const channel of all) await stores.subscriptions.putSubscription(subscription(channel));
      await stores.deliveries.enqueue(ids[0]!, all);
      const inner = scriptedAdapter('discord');
      // A stuck Discord: its posts wait until the test lets them go, so its pass is running throughout.
      const discord = heldAdapter(inner);
      const slack = scriptedAdapter('slack');
      const dispatcher = createDispatcher({
        stores,
        adapters: { discord, slack },
        log: silentLog,
        perChannelPerTick: 5,
        concurrency: 1,
      });
      dispatcher.fire(all, 'every minute');
      await pollUntil(() => slack.posts.length >= 1, "Slack's post while Discord's pass runs");
      // The next article, and the next fire, while Discord is far from done.
      await stores.deliveries.enqueue(ids[1]!, ['slack:C1']);
      dispatcher.fire(all, 'every minute');
      await pollUntil(() => slack.posts.length >= 2, "Slack's next post while Discord's pass runs");
      expect(slack.posts.map((post) => post.options.articleId)).toEqual(ids);
      expect(inner.posts.length).toBeLessThan(discordChannels.length);
      discord.release();
      await dispatcher.idle();
      expect(inner.posts).toHaveLength(discordChannels.length);
      expect(await stores.deliveries.countByState()).toMatchObject({ sent: discordChannels.length + 2, pending: 0 });
    } finally {
      await ledger.close();
    }
  });
});

describe('the retry pass on platform tracks (scripted adapters, real SQLite ledger)', () => {
  it("reaches Slack while Discord's pass is still running, and returns before Discord's turn", async () => {
    const ledger = await ledgerWithArticles(1);
    try {
      const { stores, ids } = ledger;
      const discordChannels = Array.from({ length: 8 }, (_, i) => `discord:${i + 1}` as ChannelId);
      const all: ChannelId[] = [...discordChannels, 'slack:C1'];
      for (const channel of all) await stores.subscriptions.putSubscription(subscription(channel));
      await stores.deliveries.enqueue(ids[0]!, all);
      const inner = scriptedAdapter('discord');
      // A stuck Discord: its posts wait until the test lets them go, so its pass is running throughout.
      const discord = heldAdapter(inner);
      // Slack fails its first attempt: the row waits for the retry loop.
      const slack = scriptedAdapter('slack', (_call, attempt) =>
        attempt === 1 ? new NewsdeskError('transient', 'Slack answered 503') : { messageId: '' },
      );
      const clock = { offset: 0 };
      const dispatcher = createDispatcher({
        stores,
        adapters: { discord, slack },
        log: silentLog,
        perChannelPerTick: 5,
        concurrency: 1,
        now: () => new Date(Date.now() + clock.offset),
      });
      dispatcher.fire(all, 'every minute');
      await pollUntil(() => slack.posts.length >= 1, "Slack's first attempt while Discord's pass runs");
      expect(slack.posts).toHaveLength(1);
      // Past the backoff: the retry loop's turn, while Discord is far from done.
      clock.offset = 20 * 60_000;
      let settled = false;
      void dispatcher.retry().then(() => (settled = true));
      await pollUntil(() => slack.posts.length >= 2, "Slack's retry while Discord's pass runs");
      expect(slack.posts).toHaveLength(2);
      // The ledger hears of the post just after the adapter has it.
      let row = await deliveryOf(stores.deliveries, ids[0]!, 'slack:C1');
      for (const deadline = Date.now() + 10_000; row?.state !== 'sent' && Date.now() < deadline; )
        row = await sleep(5).then(() => deliveryOf(stores.deliveries, ids[0]!, 'slack:C1'));
      expect(row).toMatchObject({ state: 'sent' });
      expect(inner.posts.length).toBeLessThan(discordChannels.length);
      // Discord's retry pass waits its turn behind the fire; a loop that awaited it would stall Slack's next retries.
      expect(settled).toBe(false);
      discord.release();
      await dispatcher.idle();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(settled).toBe(true);
      expect(inner.posts).toHaveLength(discordChannels.length);
      expect(await stores.deliveries.countByState()).toMatchObject({ sent: all.length, pending: 0 });
    } finally {
      await ledger.close();
    }
  });
});

/** An adapter whose posts wait until `release`: a platform stuck for as long as a test needs. */
function heldAdapter<T extends { post: (...args: never[]) => Promise<unknown> }>(inner: T) {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    ...inner,
    post: async (...args: Parameters<T['post']>) => {
      await held;
      return inner.post(...args);
    },
    release: () => release(),
  };
}
