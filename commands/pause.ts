import type { Command } from './command.js';
import { requireSubscription } from './subscription-text.js';

export const pauseCommand: Command = {
  name: 'pause',
  description: 'Pause posting to this channel (articles arriving meanwhile are skipped)',
  managesChannel: true,
  options: [],
  async run(ctx) {
    const subscription = await requireSubscription(ctx);
    if (subscription.paused)
      return { kind: 'text', tone: 'info', text: 'This channel is already paused. /news resume starts it again.' };
    await ctx.stores.subscriptions.setPaused(ctx.channel, true);
    await ctx.delivery?.changed();
    return { kind: 'text', tone: 'info', text: 'Paused. Nothing is posted here until /news resume.' };
  },
};
