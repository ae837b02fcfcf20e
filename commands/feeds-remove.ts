import { NewsdeskError } from '../src/domain/errors.js';
import { textReply } from '../src/domain/reply.js';
import { OPERATOR_SPACE } from '../src/domain/space.js';
import type { Command } from './command.js';
import { feedsOf } from './feeds-shared.js';
import { spaceOf } from './space-scope.js';

export const feedsRemoveCommand: Command<{ id: string }> = {
  name: 'feeds remove',
  description: 'Stop polling a feed here',
  options: [
    { name: 'id', description: 'The feed id from /news feeds list (or its URL)', type: 'string', required: true },
  ],
  managesChannel: true,
  async run(ctx, { id }) {
    const feeds = feedsOf(ctx);
    const space = spaceOf(ctx);
    const wanted = id.trim();
    const notFound = new NewsdeskError('not_found', `No feed with id "${wanted}". See /news feeds list.`);
    const feed = await feeds.get(wanted);
    if (!feed) throw notFound;
    const links = await feeds.links(feed.url);
    const own = links.some((link) => link.space === space);
    if (!own && space !== OPERATOR_SPACE && links.some((link) => link.space === OPERATOR_SPACE)) {
      const why = `Feed ${feed.id} is one of the operator's feeds (FEED_URLS); it cannot be removed by command.`;
      throw new NewsdeskError('forbidden', why);
    }
    // Another space's feed answers exactly like an unknown one.
    if (!own) throw notFound;
    await feeds.unlink(feed.url, space);
    if (space !== OPERATOR_SPACE && links.some((link) => link.space === OPERATOR_SPACE)) {
      const kept = `The operator also polls it (FEED_URLS), so it stays listed, read-only, with its articles.`;
      return textReply(`Removed your link to feed ${feed.url} (id ${feed.id}). ${kept}`, 'info', true);
    }
    return textReply(`Removed feed ${feed.url} (id ${feed.id}) here. Articles already posted stay.`, 'info', true);
  },
};
