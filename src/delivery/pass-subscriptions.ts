import type { ChannelId } from '../domain/channel.js';
import type { Subscription } from '../domain/subscription.js';
import type { Stores } from '../store/ports.js';

export interface PassSubscriptions {
  /** A claim came back with these channels: read their subscriptions in one statement. */
  expect(channels: readonly ChannelId[]): void;
  /** The channel's subscription, from its claim's read (or read alone when it was not expected). */
  of(channel: ChannelId): Promise<Subscription | undefined>;
}

/**
 * Subscriptions read once per claimed batch: a fan-out's first window is 50 posts at once, and one
 * read per channel queued behind each other on the pool delayed that window by tens of ms.
 */
export function subscriptionsForOnePass(subscriptions: Stores['subscriptions']): PassSubscriptions {
  const pending = new Map<ChannelId, Promise<Subscription | undefined>>();
  return {
    expect(channels) {
      const wanted = channels.filter((channel) => !pending.has(channel));
      if (wanted.length === 0) return;
      const batch = subscriptions
        .getSubscriptions(wanted)
        .then((found) => new Map(found.map((subscription) => [subscription.channel, subscription])));
      for (const channel of wanted)
        pending.set(
          channel,
          batch.then((found) => found.get(channel)),
        );
      // A failed read is not kept: each channel then reads its own (and reports its own failure).
      batch.catch(() => {
        for (const channel of wanted) pending.delete(channel);
      });
    },
    of(channel) {
      const read = pending.get(channel);
      // Taken once: a channel is worked once per pass, and the map stays as small as the work ahead.
      pending.delete(channel);
      return read ? read.catch(() => subscriptions.getSubscription(channel)) : subscriptions.getSubscription(channel);
    },
  };
}
