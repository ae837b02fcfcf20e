import type { Command } from './command.js';

export const retryCommand: Command = {
  name: 'retry',
  description: "Send this channel's failed posts again (after fixing what /news status reported)",
  managesChannel: true,
  options: [],
  async run(ctx) {
    const requeued = await ctx.stores.deliveries.requeueFailed(ctx.channel, ctx.now());
    if (requeued === 0)
      return {
        kind: 'text',
        tone: 'info',
        ephemeral: true,
        text: 'Nothing to retry: no failed posts in this channel.',
      };
    return {
      kind: 'text',
      tone: 'info',
      text: `${requeued} failed post${requeued === 1 ? '' : 's'} will be sent again on the next run.`,
    };
  },
};
