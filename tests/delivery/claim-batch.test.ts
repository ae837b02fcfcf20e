import { describe, expect, it } from 'vitest';
import { workersForRate } from '../../src/delivery/claim-loop.js';
import { createDispatcher } from '../../src/delivery/dispatcher.js';
import type { ChannelId } from '../../src/domain/channel.js';
import type { Stores } from '../../src/store/ports.js';
import { pollUntil } from '../support/poll.js';
import { ledgerWithArticles, scriptedAdapter, silentLog, subscription } from './support/scripted-adapter.js';

const channels = (count: number) => Array.from({ length: count }, (_, i) => `discord:${i + 1}` as ChannelId);

/** Posts wait until released; counts how many are waiting at once. */
function heldPosts(inner: ReturnType<typeof scriptedAdapter>) {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const state = { waiting: 0, most: 0 };
  return {
    adapter: {
      ...inner,
      post: async (...args: Parameters<typeof inner.post>) => {
        state.waiting += 1;
        state.most = Math.max(state.most, state.waiting);
        await held;
        state.waiting -= 1;
        return inner.post(...args);
      },
    },
    state,
    release: () => release(),
  };
}

/** The store with its subscription reads counted. */
function countingSubscriptions(stores: Stores) {
  const counts = { one: 0, batches: 0, channelsInBatches: 0 };
  const subscriptions: Stores['subscriptions'] = {
    ...stores.subscriptions,
    getSubscription: (channel) => {
      counts.one += 1;
      return stores.subscriptions.getSubscription(channel);
    },
    getSubscriptions: (list) => {
      counts.batches += 1;
      counts.channelsInBatches += list.length;
      return stores.subscriptions.getSubscriptions(list);
    },
  };
  return { stores: { ...stores, subscriptions }, counts };
}

describe('a claimed batch of channels (scripted adapter, real SQLite ledger)', () => {
  it('puts every channel of a claim on the wire at once, up to the concurrency', async () => {
    const ledger = await ledgerWithArticles(1);
    try {
      const all = channels(64);
      for (const channel of all) await ledger.stores.subscriptions.putSubscription(subscription(channel));
      await ledger.stores.deliveries.enqueue(ledger.ids[0]!, all);
      const held = heldPosts(scriptedAdapter('discord'));
      const dispatcher = createDispatcher({
        stores: ledger.stores,
        adapters: { discord: held.adapter },
        log: silentLog,
        perChannelPerTick: 5,
        concurrency: 64,
        claimBatch: 64,
      });
      const tick = dispatcher.tick();
      // Workers were once started while the claimed queue shrank under them: half the channels.
      await pollUntil(() => held.state.waiting >= 64, 'all 64 claimed channels to be posting at once');
      held.release();
      expect(await tick).toMatchObject({ sent: 64 });
      expect(held.state.most).toBe(64);
    } finally {
      await ledger.close();
    }
  });

  it('reads the subscriptions of a claim in one statement, not one per channel', async () => {
    const ledger = await ledgerWithArticles(1);
    try {
      const all = channels(40);
      for (const channel of all) await ledger.stores.subscriptions.putSubscription(subscription(channel));
      // One channel is not subscribed any more: its row fails with a reason, the others are posted.
      const gone = 'discord:999' as ChannelId;
      await ledger.stores.deliveries.enqueue(ledger.ids[0]!, [...all, gone]);
      const { stores, counts } = countingSubscriptions(ledger.stores);
      const discord = scriptedAdapter('discord');
      const dispatcher = createDispatcher({
        stores,
        adapters: { discord },
        log: silentLog,
        perChannelPerTick: 5,
        concurrency: 16,
        claimBatch: 16,
      });
      expect(await dispatcher.tick()).toMatchObject({ sent: 40 });
      // Every channel read once, in a read per claim (16 channels each, one claim ahead of the workers).
      expect(counts.one).toBe(0);
      expect(counts.channelsInBatches).toBe(41);
      expect(counts.batches).toBeGreaterThanOrEqual(3);
      expect(counts.batches).toBeLessThanOrEqual(4);
      expect(discord.posts).toHaveLength(40);
      expect(await ledger.stores.deliveries.countByState()).toMatchObject({ sent: 40, failed: 1 });
    } finally {
      await ledger.close();
    }
  });
  it('keeps a slower platform to its own number of workers while the other uses all of its own', async () => {
    const ledger = await ledgerWithArticles(1);
    try {
      const discordChannels = channels(20);
      const slackChannels = Array.from({ length: 20 }, (_, i) => `slack:C${i}` as ChannelId);
      for (const channel of [...discordChannels, ...slackChannels])
        await ledger.stores.subscriptions.putSubscription(subscription(channel));
      await ledger.stores.deliveries.enqueue(ledger.ids[0]!, [...discordChannels, ...slackChannels]);
      const discord = heldPosts(scriptedAdapter('discord'));
      const slack = heldPosts(scriptedAdapter('slack'));
      const dispatcher = createDispatcher({
        stores: ledger.stores,
        adapters: { discord: discord.adapter, slack: slack.adapter },
        log: silentLog,
        perChannelPerTick: 5,
        concurrency: 64,
        concurrencyByPlatform: { slack: workersForRate({ limit: 2, windowMs: 1_000 }) },
      });
      const tick = dispatcher.tick();
      await pollUntil(() => discord.state.waiting >= 20 && slack.state.waiting >= 4, 'both platforms posting');
      discord.release();
      slack.release();
      expect(await tick).toMatchObject({ sent: 40 });
      expect(discord.state.most).toBe(20);
      // 2 a second: the floor of 4 workers.
      expect(slack.state.most).toBe(4);
    } finally {
      await ledger.close();
    }
  });

  it('gives a platform a window of workers and a few more, at most 64', () => {
    expect(workersForRate({ limit: 50, windowMs: 1_000 })).toBe(64);
    expect(workersForRate({ limit: 20, windowMs: 1_000 })).toBe(26);
    expect(workersForRate({ limit: 10, windowMs: 2_000 })).toBe(7);
    expect(workersForRate({ limit: 1, windowMs: 1_000 })).toBe(4);
  });
});
