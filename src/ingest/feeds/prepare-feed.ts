import type { ArticleDraft } from '../../domain/article.js';
import { isNewsdeskError } from '../../domain/errors.js';
import { capFeed, DEFAULT_FEED_CAPS, type CapReport, type FeedCaps } from './caps.js';
import { itemKeys, itemToDraft, type ItemKeys } from './item-to-draft.js';
import { parseFeed } from './parse-feed.js';
import type { ParseFeedOptions } from './types.js';

export interface PreparedItem {
  guid?: string;
  keys: ItemKeys;
  draft: ArticleDraft;
}

/** Everything the poller needs from a document: plain data, so it crosses a worker boundary as is. */
export interface PreparedFeed {
  title: string;
  ttlMinutes?: number;
  items: PreparedItem[];
  /** Items that could not become articles (no guid, link or title), with the reason. */
  rejected: { guid?: string; reason: string }[];
  caps: CapReport;
}

/** The CPU half of a poll: bytes → capped feed → article drafts with their keys. Throws `bad_input`. */
export function prepareFeed(
  bytes: Uint8Array,
  options: ParseFeedOptions & { url: string },
  caps: FeedCaps = DEFAULT_FEED_CAPS,
): PreparedFeed {
  const feed = parseFeed(bytes, options);
  const report = capFeed(feed, caps);
  const prepared: PreparedFeed = { title: feed.title, items: [], rejected: [], caps: report };
  if (feed.ttlMinutes !== undefined) prepared.ttlMinutes = feed.ttlMinutes;
  for (const item of feed.items) {
    try {
      const entry: PreparedItem = { keys: itemKeys(item, options.url), draft: itemToDraft(item, feed, options.url) };
      if (item.guid !== undefined) entry.guid = item.guid;
      prepared.items.push(entry);
    } catch (err) {
      if (!isNewsdeskError(err, 'bad_input')) throw err;
      prepared.rejected.push({ ...(item.guid !== undefined ? { guid: item.guid } : {}), reason: err.message });
    }
  }
  return prepared;
}
