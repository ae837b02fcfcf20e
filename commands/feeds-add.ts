import { textReply } from '../src/domain/reply.js';
import type { Command } from './command.js';
import { feedsOf } from './feeds-shared.js';

export const feedsAddCommand: Command<{ url: string }> = {
  name: 'feeds add',
  description: 'Poll an RSS, Atom or JSON feed for news',
  options: [{ name: 'url', description: 'The feed URL (http or https)', type: 'string', required: true }],
  managesChannel: true,
  async run(ctx, { url }) {
    const feeds = feedsOf(ctx);
    const checked = await feeds.validateUrl(url);
    const { feed, created } = await feeds.add(checked, { addedBy: `${ctx.user.platform}:${ctx.user.id}`, now: ctx.now() });
    if (created) feeds.pollSoon?.(feed.url);
    const text = created
      ? `Added feed ${feed.url} (id ${feed.id}). Its current items are recorded now; new ones will be posted from the next poll.`
      : feed.disabled
        ? `Feed ${feed.url} (id ${feed.id}) was disabled after repeated failures; it is enabled again.`
        : `Feed ${feed.url} is already polled (id ${feed.id}).`;
    return textReply(text, 'info', true);
  },
};
