import type { FeedRecord } from '../src/store/feed-ports.js';
import { textReply } from '../src/domain/reply.js';
import type { Command } from './command.js';
import { feedsOf } from './feeds-shared.js';

/** One line per feed: id, title or URL, and a status a user can act on. */
export function feedLine(feed: FeedRecord): string {
  const name = feed.title ? `${feed.title} <${feed.url}>` : feed.url;
  const status = feed.disabled
    ? `DISABLED: ${feed.lastError ?? 'failing for 48 h'}`
    : feed.failures > 0
      ? `failing (${feed.failures}×): ${feed.lastError ?? 'unknown error'}`
      : feed.lastPolledAt
        ? `ok, last polled ${feed.lastPolledAt}${feed.lastError ? ` (warning: ${feed.lastError})` : ''}`
        : 'not polled yet';
  return `${feed.id}  ${name} — ${status}`;
}

export const feedsListCommand: Command<Record<string, never>> = {
  name: 'feeds list',
  description: 'The feeds being polled and their status',
  options: [],
  managesChannel: true,
  async run(ctx) {
    const feeds = await feedsOf(ctx).list();
    if (feeds.length === 0) return textReply('No feeds yet. Add one with /news feeds add <url>.', 'info', true);
    return { kind: 'text', tone: 'info', title: `Feeds (${feeds.length})`, text: feeds.map(feedLine).join('\n'), ephemeral: true };
  },
};
