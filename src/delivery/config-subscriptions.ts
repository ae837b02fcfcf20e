import type { ChannelId } from '../domain/channel.js';
import { emptyFilter } from '../domain/subscription.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';

/**
 * Channels listed in DISCORD_CHANNEL_IDS / SLACK_CHANNEL_IDS (or the terminal) are subscriptions
 * with the defaults. A listed channel that already has a subscription made by command keeps it;
 * a channel dropped from the list loses its configured subscription.
 */
export async function syncConfigSubscriptions(deps: {
  stores: Stores;
  log: Logger;
  channels: ChannelId[];
  now?: string;
}): Promise<void> {
  const { stores } = deps;
  const listed = new Set<string>(deps.channels);
  for (const subscription of await stores.subscriptions.listSubscriptions()) {
    if (subscription.origin === 'config' && !listed.has(subscription.channel)) {
      await stores.subscriptions.removeSubscription(subscription.channel);
      deps.log.info({ channel: subscription.channel }, 'channel no longer configured; subscription removed');
    }
  }
  for (const channel of deps.channels) {
    if (await stores.subscriptions.getSubscription(channel)) continue;
    await stores.subscriptions.putSubscription({
      channel,
      filter: emptyFilter(),
      digest: 0,
      paused: false,
      origin: 'config',
      createdAt: deps.now ?? new Date().toISOString(),
    });
    deps.log.info({ channel }, 'configured channel subscribed');
  }
}
