import type { Command } from './command.js';
import { describeSubscription, requireSubscription } from './subscription-text.js';

export const resumeCommand: Command = {
  name: 'resume',
  description: 'Resume posting to this channel',
  managesChannel: true,
  options: [],
  async run(ctx) {
    const subscription = await requireSubscription(ctx);
    if (!subscription.paused) return { kind: 'text', tone: 'info', text: 'This channel is not paused.' };
    await ctx.stores.subscriptions.setPaused(ctx.channel, false);
    await ctx.delivery?.changed();
    return {
      kind: 'text',
      tone: 'info',
      text: `Resumed. ${describeSubscription({ ...subscription, paused: false }, ctx)}`,
    };
  },
};
