import type { Command } from './command.js';
import { requireSubscription } from './subscription-text.js';

export const unsubscribeCommand: Command = {
  name: 'unsubscribe',
  description: 'Stop posting articles to this channel',
  managesChannel: true,
  options: [],
  async run(ctx) {
    const subscription = await requireSubscription(ctx);
    await ctx.stores.subscriptions.removeSubscription(ctx.channel);
    await ctx.delivery?.changed();
    const note =
      subscription.origin === 'config'
        ? ' It is also listed in the bot configuration and comes back on restart until removed there.'
        : '';
    return {
      kind: 'text',
      tone: 'info',
      text: `Unsubscribed ${ctx.channel}. Articles waiting for this channel will not be posted.${note}`,
    };
  },
};
