import type { ArticleDraft } from '../../domain/article.js';

/** Per feed: `auto` fetches teasers only, `always` every item with a link, `never` none. */
export type FullTextPolicy = 'auto' | 'always' | 'never';

/**
 * Below this many words an item is a teaser. Measured on the real captures in
 * ../shared/corpus/feeds/rowanmanning-sample-feeds: teaser feeds top out at 23 (BBC World), 21 (FT),
 * 29 (Sky), 30 (HuffPost), 38 (NYT, BuzzFeed) words an item; full-text feeds start at 128 (Engadget),
 * 160 (MacRumors), 190 (WordPress News). 80 sits in the gap with room on both sides.
 */
export const TEASER_MAX_WORDS = 80;

/** How a feed cuts its items short ("Continue reading…", "[…]", "Read more"). */
const TRUNCATED = new RegExp(
  '(?:\u2026|\\.\\.\\.|\\[(?:\u2026|\\.\\.\\.)\\]' +
    '|\\b(?:continue reading|read more|read the full|weiterlesen|lire la suite)\\b[^.!?]{0,40})\\s*$',
  'i',
);

export function wordCount(draft: Pick<ArticleDraft, 'body'>): number {
  let words = 0;
  for (const block of draft.body) words += block.text.split(/\s+/).filter(Boolean).length;
  return words;
}

/** True when the item's own text looks like a teaser: short, or cut off with a "read more". */
export function looksLikeTeaser(draft: Pick<ArticleDraft, 'body'>): boolean {
  if (wordCount(draft) < TEASER_MAX_WORDS) return true;
  const last = draft.body.at(-1)?.text ?? '';
  return TRUNCATED.test(last.slice(-200));
}

export interface TeaserHistory {
  /** Records what an item of the feed looked like. */
  record(feedUrl: string, teaser: boolean): void;
  /** True when most of the feed's recent items were teasers. */
  isTeaserFeed(feedUrl: string): boolean;
}

/**
 * A feed's recent items, remembered in memory (the last `window` per feed, at most `maxFeeds` feeds).
 * A feed that mostly sends teasers gets its longer items fetched too: its "long" items are usually
 * an excerpt of a longer page (The Guardian's run 100–350 words and end "Continue reading").
 */
export interface TeaserHistoryOptions {
  window?: number;
  maxFeeds?: number;
  /** Share of recent items that must be teasers for the feed to count as a teaser feed. */
  threshold?: number;
}

export function createTeaserHistory(options: TeaserHistoryOptions = {}): TeaserHistory {
  const window = options.window ?? 20;
  const maxFeeds = options.maxFeeds ?? 10_000;
  const threshold = options.threshold ?? 0.6;
  const feeds = new Map<string, boolean[]>();
  return {
    record(feedUrl, teaser) {
      const seen = feeds.get(feedUrl) ?? [];
      feeds.delete(feedUrl); // re-insert: Map order doubles as least-recently-used order
      seen.push(teaser);
      if (seen.length > window) seen.shift();
      feeds.set(feedUrl, seen);
      if (feeds.size > maxFeeds) feeds.delete(feeds.keys().next().value as string);
    },
    isTeaserFeed(feedUrl) {
      const seen = feeds.get(feedUrl);
      if (!seen || seen.length < 3) return false;
      return seen.filter(Boolean).length / seen.length >= threshold;
    },
  };
}

/** Whether to fetch the item's page, given the feed's policy and history. */
export function shouldFetchFullText(
  draft: Pick<ArticleDraft, 'body' | 'url' | 'origin'>,
  policy: FullTextPolicy,
  history?: TeaserHistory,
): boolean {
  if (policy === 'never' || !draft.url || !/^https?:\/\//i.test(draft.url)) return false;
  if (policy === 'always') return true;
  if (looksLikeTeaser(draft)) return true;
  return draft.origin.kind === 'feed' && history !== undefined && history.isTeaserFeed(draft.origin.feedUrl);
}
