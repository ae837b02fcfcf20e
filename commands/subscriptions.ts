import type { Command } from './command.js';
import { describeSubscription } from './subscription-text.js';
import { spaceOf } from './space-scope.js';

export const subscriptionsCommand: Command = {
  name: 'subscriptions',
  description: 'The channels this bot posts to here',
  options: [],
  async run(ctx) {
    const visible = await ctx.stores.subscriptions.listSubscriptions(spaceOf(ctx));
    if (visible.length === 0)
      return {
        kind: 'text',
        tone: 'info',
        ephemeral: true,
        text: 'No subscriptions here yet. Start one with /news subscribe.',
      };
    return {
      kind: 'text',
      tone: 'info',
      ephemeral: true,
      title: `Subscriptions (${visible.length})`,
      text: visible.map((subscription) => `• ${describeSubscription(subscription, ctx)}`).join('\n'),
    };
  },
};
