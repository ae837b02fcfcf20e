import { NewsdeskError, isNewsdeskError } from '../src/domain/errors.js';
import { textReply } from '../src/domain/reply.js';
import type { FeedCommandsPort, FeedProbe } from '../src/ingest/feeds/feed-commands-port.js';
import type { Command } from './command.js';
import { checkFeedCap, feedsOf } from './feeds-shared.js';
import { spaceOf } from './space-scope.js';

/** Fetch and parse first: a URL that is not a feed is never stored, and the user hears why now. */
async function probe(feeds: FeedCommandsPort, url: string): Promise<FeedProbe | undefined> {
  if (!feeds.probe) return undefined;
  try {
    return await feeds.probe(url);
  } catch (err) {
    if (!isNewsdeskError(err)) throw err;
    throw new NewsdeskError(err.code, `Not added: ${err.message}`, err.details, { cause: err });
  }
}

function offerPageFeeds(url: string, probed: Extract<FeedProbe, { kind: 'page' }>) {
  if (probed.feeds.length === 0) {
    return textReply(`Not added: ${url} is a web page, and it links to no RSS, Atom or JSON feed.`, 'error', true);
  }
  const lines = probed.feeds.map((feed) => `• ${feed.title ? `${feed.title} — ` : ''}${feed.url}`);
  const text = [
    `Not added: ${url} is a web page, not a feed. It links to these feeds; add one with /news feeds add <url>:`,
    ...lines,
  ];
  return textReply(text.join('\n'), 'info', true);
}

export const feedsAddCommand: Command<{ url: string }> = {
  name: 'feeds add',
  description: 'Poll an RSS, Atom or JSON feed for news',
  options: [
    {
      name: 'url',
      description: 'The feed URL (http or https), or a page that links to one',
      type: 'string',
      required: true,
    },
  ],
  managesChannel: true,
  async run(ctx, { url }) {
    const feeds = feedsOf(ctx);
    const checked = await feeds.validateUrl(url);
    const space = spaceOf(ctx);
    await checkFeedCap(ctx, feeds, checked, space);
    const probed = await probe(feeds, checked);
    if (probed?.kind === 'page') return offerPageFeeds(checked, probed);
    const addedBy = `${ctx.user.platform}:${ctx.user.id}`;
    const { feed, created, linked } = await feeds.add(checked, { addedBy, now: ctx.now(), space });
    if (created) feeds.pollSoon?.(feed.url);
    const name = probed?.title ? `“${probed.title}” ` : '';
    const found = probed
      ? ` It has ${probed.items} item${probed.items === 1 ? '' : 's'} now, recorded without posting;`
      : ' Its current items are recorded now;';
    const text = created
      ? `Added feed ${name}${feed.url} (id ${feed.id}).${found} new ones will be posted from the next poll.`
      : feed.disabled
        ? `Feed ${feed.url} (id ${feed.id}) was disabled after repeated failures; it is enabled again.`
        : linked
          ? `Added feed ${name}${feed.url} (id ${feed.id}); new items will be posted from the next poll.`
          : `Feed ${feed.url} is already polled here (id ${feed.id}).`;
    return textReply(text, 'info', true);
  },
};
