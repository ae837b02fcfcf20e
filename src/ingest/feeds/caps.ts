import type { FeedItem, ParsedFeed } from './types.js';

/**
 * How much of each field a feed may bring. Oversized text is cut at a word, an oversized URL is
 * dropped (a cut URL points somewhere else), and only the newest `itemsPerPoll` items are taken.
 * One oversized field never costs the whole feed.
 */
export interface FeedCaps {
  itemsPerPoll: number;
  title: number;
  author: number;
  summary: number;
  /** Characters of the HTML body. */
  body: number;
  link: number;
  guid: number;
  categories: number;
  category: number;
  enclosures: number;
  /** The feed's own title and description. */
  feedTitle: number;
  description: number;
}

export const DEFAULT_FEED_CAPS: FeedCaps = {
  // Busy news feeds carry 50-100 items; more than this in one poll is a dump, not news.
  itemsPerPoll: 200,
  title: 300,
  author: 200,
  summary: 4_000,
  body: 200_000,
  link: 2_048,
  guid: 1_024,
  categories: 25,
  category: 100,
  enclosures: 10,
  feedTitle: 300,
  description: 4_000,
};

/** What was cut, for one log line per poll: field → items affected, plus the items left out. */
export interface CapReport {
  itemsFound: number;
  itemsDropped: number;
  truncated: Partial<Record<keyof FeedCaps, number>>;
}

/** Cut `text` to at most `max` characters, at a word when one ends in the last fifth. */
function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(0, max - 1));
  const space = cut.search(/\s\S*$/);
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}…`;
}

/** Cut HTML at a tag or word boundary; the tag parser closes whatever is left open. */
function truncateHtml(html: string, max: number): string {
  if (html.length <= max) return html;
  const cut = html.slice(0, max);
  const boundary = Math.max(cut.lastIndexOf('>') + 1, cut.search(/\s\S*$/));
  return boundary > max * 0.8 ? cut.slice(0, boundary) : cut;
}

/** Apply the caps to a parsed feed, in place, and say what was cut. */
export function capFeed(feed: ParsedFeed, caps: FeedCaps = DEFAULT_FEED_CAPS): CapReport {
  const report: CapReport = { itemsFound: feed.items.length, itemsDropped: 0, truncated: {} };
  const note = (field: keyof FeedCaps): void => {
    report.truncated[field] = (report.truncated[field] ?? 0) + 1;
  };
  if (feed.title.length > caps.feedTitle) {
    feed.title = truncateAtWord(feed.title, caps.feedTitle);
    note('feedTitle');
  }
  if (feed.description && feed.description.length > caps.description) {
    feed.description = truncateAtWord(feed.description, caps.description);
    note('description');
  }
  for (const key of ['link', 'self', 'image'] as const) {
    if ((feed[key]?.length ?? 0) > caps.link) {
      delete feed[key];
      note('link');
    }
  }
  if (feed.items.length > caps.itemsPerPoll) {
    feed.items = newest(feed.items, caps.itemsPerPoll);
    report.itemsDropped = report.itemsFound - feed.items.length;
    note('itemsPerPoll');
  }
  for (const item of feed.items) capItem(item, caps, note);
  return report;
}

function capItem(item: FeedItem, caps: FeedCaps, note: (field: keyof FeedCaps) => void): void {
  const text = (field: 'title' | 'author' | 'summary'): void => {
    const value = item[field];
    if (value !== undefined && value.length > caps[field]) {
      item[field] = truncateAtWord(value, caps[field]);
      note(field);
    }
  };
  text('title');
  text('author');
  text('summary');
  // A guid is an identity: cut it the same way every poll, never at a word.
  if (item.guid !== undefined && item.guid.length > caps.guid) {
    item.guid = item.guid.slice(0, caps.guid);
    note('guid');
  }
  if (item.contentHtml !== undefined && item.contentHtml.length > caps.body) {
    item.contentHtml = truncateHtml(item.contentHtml, caps.body);
    note('body');
  }
  for (const key of ['link', 'image'] as const) {
    if ((item[key]?.length ?? 0) > caps.link) {
      delete item[key];
      note('link');
    }
  }
  if (item.categories.length > caps.categories) {
    item.categories = item.categories.slice(0, caps.categories);
    note('categories');
  }
  if (item.categories.some((category) => category.length > caps.category)) {
    item.categories = item.categories.map((category) => truncateAtWord(category, caps.category));
    note('category');
  }
  const enclosures = item.enclosures.filter((enclosure) => enclosure.url.length <= caps.link);
  if (enclosures.length > caps.enclosures || enclosures.length < item.enclosures.length) {
    item.enclosures = enclosures.slice(0, caps.enclosures);
    note('enclosures');
  }
}

/** The `count` newest items (by published, then updated), in feed order; undated items count as oldest. */
function newest(items: FeedItem[], count: number): FeedItem[] {
  const stamp = (item: FeedItem): number => {
    const ms = Date.parse(item.published ?? item.updated ?? '');
    return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
  };
  // Feeds list newest first, so among equal (or missing) dates the earlier position wins.
  const ranked = items
    .map((item, index) => ({ index, at: stamp(item) }))
    .sort((a, b) => b.at - a.at || a.index - b.index);
  const keep = new Set(ranked.slice(0, count).map((entry) => entry.index));
  return items.filter((_item, index) => keep.has(index));
}
