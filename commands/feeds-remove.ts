import { NewsdeskError } from '../src/domain/errors.js';
import { textReply } from '../src/domain/reply.js';
import type { Command } from './command.js';
import { feedsOf } from './feeds-shared.js';

export const feedsRemoveCommand: Command<{ id: string }> = {
  name: 'feeds remove',
  description: 'Stop polling a feed',
  options: [{ name: 'id', description: 'The feed id from /news feeds list (or its URL)', type: 'string', required: true }],
  managesChannel: true,
  async run(ctx, { id }) {
    const feeds = feedsOf(ctx);
    const feed = await feeds.get(id.trim());
    if (!feed) throw new NewsdeskError('not_found', `No feed with id "${id.trim()}". See /news feeds list.`);
    await feeds.remove(feed.url);
    return textReply(`Removed feed ${feed.url} (id ${feed.id}). Articles already posted stay.`, 'info', true);
  },
};
