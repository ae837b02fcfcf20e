import type { FeedRecord } from '../src/store/feed-ports.js';
import { textReply } from '../src/domain/reply.js';
import { OPERATOR_SPACE } from '../src/domain/space.js';
import type { Command } from './command.js';
import { feedsOf } from './feeds-shared.js';
import { shownUrl, spaceOf } from './space-scope.js';

/** One line per feed: id, title or URL, and a status a user can act on. */
export function feedLine(feed: FeedRecord, url = feed.url): string {
  const name = feed.title ? `${feed.title} <${url}>` : url;
  const status = feed.disabled
    ? `DISABLED: ${feed.lastError ?? 'failing for 48 h'}`
    : feed.failures > 0
      ? `failing (${feed.failures}×): ${feed.lastError ?? 'unknown error'}`
      : feed.lastPolledAt
        ? `ok, last polled ${feed.lastPolledAt}${feed.lastError ? ` (warning: ${feed.lastError})` : ''}`
        : 'not polled yet';
  return `${feed.id}  ${name} — ${status}`;
}

const ALSO_OPERATOR = ' (also an operator feed: removing your link keeps it, read-only)';

export const feedsListCommand: Command<Record<string, never>> = {
  name: 'feeds list',
  description: 'The feeds polled for this space and their status',
  options: [],
  managesChannel: true,
  async run(ctx) {
    const port = feedsOf(ctx);
    const space = spaceOf(ctx);
    const own = await port.list(space);
    const operator = space === OPERATOR_SPACE ? [] : await port.list(OPERATOR_SPACE);
    const mine = new Set(own.map((feed) => feed.id));
    const shared = operator.filter((feed) => !mine.has(feed.id));
    // Linked here and by the operator: listed once, as this space's own (its link is removable);
    // the note says removing it leaves the operator's feed, and its articles, in place.
    const alsoOperator = new Set(operator.filter((feed) => mine.has(feed.id)).map((feed) => feed.id));
    if (own.length === 0 && shared.length === 0) {
      return textReply('No feeds yet. Add one with /news feeds add <url>.', 'info', true);
    }
    const lines =
      own.length > 0
        ? own.map((feed) => `${feedLine(feed)}${alsoOperator.has(feed.id) ? ALSO_OPERATOR : ''}`)
        : ['None of your own yet: /news feeds add <url>.'];
    if (shared.length > 0) {
      lines.push('', `From the operator (read-only, ${shared.length}):`);
      for (const feed of shared) lines.push(feedLine(feed, shownUrl(feed.url, [], space)));
    }
    return { kind: 'text', tone: 'info', title: `Feeds (${own.length})`, text: lines.join('\n'), ephemeral: true };
  },
};
