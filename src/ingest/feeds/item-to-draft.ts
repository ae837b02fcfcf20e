import type { ArticleDraft, BodyBlock } from '../../domain/article.js';
import { NewsdeskError } from '../../domain/errors.js';
import { collapse, extractHtml } from './html-text.js';
import type { FeedItem, ParsedFeed } from './types.js';
import { normaliseTitle } from '../../domain/article-key.js';

/**
 * Every key an item can be known by, strongest first: guid, then link, then title + day.
 * The poller remembers all of them against the article, so an item whose guid churns while its
 * link stays put resolves to the article it already is (DESIGN.md data flow, step 4).
 */
export interface ItemKeys {
  /** The key a brand-new item is stored under. */
  primary: string;
  all: string[];
}

export function itemKeys(item: FeedItem, feedUrl: string): ItemKeys {
  const keys: string[] = [];
  const guid = item.guid?.trim();
  // Bare numbers and slugs are only unique within their feed; URLs, URNs and tag: URIs are global.
  if (guid) keys.push(/^[a-z][a-z0-9+.-]*:/i.test(guid) ? `feed:guid:${guid}` : `feed:guid:${feedUrl}#${guid}`);
  const link = item.link ? canonicalLink(item.link) : undefined;
  if (link) keys.push(`link:${link}`);
  if (item.title) keys.push(`title:${normaliseTitle(item.title)}|${item.published?.slice(0, 10) ?? 'undated'}`);
  const primary = keys[0];
  if (!primary) throw new NewsdeskError('bad_input', 'Feed item has no guid, link or title');
  return { primary, all: keys };
}

/** Tracking parameters and fragments do not make a different article. */
export function canonicalLink(link: string): string {
  try {
    const url = new URL(link);
    url.hash = '';
    for (const name of [...url.searchParams.keys()]) {
      if (/^(utm_|fbclid$|gclid$|mc_cid$|mc_eid$)/i.test(name)) url.searchParams.delete(name);
    }
    return url.href;
  } catch {
    return link.trim();
  }
}

/**
 * A feed item as an article draft. `key` is the primary key; the poller may replace it with the
 * key of an article it already knows under another of `itemKeys(...).all`.
 */
export function itemToDraft(item: FeedItem, feed: Pick<ParsedFeed, 'title'>, feedUrl: string): ArticleDraft {
  const html = item.contentHtml ?? '';
  const extracted = html ? extractHtml(html) : { blocks: [], links: [] };
  let body: BodyBlock[] = extracted.blocks.map((block) => ({ type: block.type, text: block.text }));
  if (body.length === 0 && item.summary) body = [{ type: 'paragraph', text: item.summary }];
  const title = item.title ?? firstWords(body) ?? item.link;
  if (!title) throw new NewsdeskError('bad_input', 'Feed item has neither a title nor any text');

  const links: { url: string; text?: string }[] = [];
  const seen = new Set<string>();
  for (const link of extracted.links) {
    if (!/^https?:\/\//i.test(link.url) || seen.has(link.url)) continue;
    seen.add(link.url);
    links.push(link);
  }
  const draft: ArticleDraft = {
    key: itemKeys(item, feedUrl).primary,
    title,
    body,
    images: item.image ? [{ caption: '', url: item.image }] : [],
    origin: feed.title ? { kind: 'feed', feedUrl, feedTitle: feed.title } : { kind: 'feed', feedUrl },
    publishers: [],
    links,
    tags: item.categories.map((tag) => collapse(tag)).filter((tag) => tag.length > 0),
  };
  if (item.author) draft.author = item.author;
  if (item.published ?? item.updated) draft.published = item.published ?? item.updated;
  if (item.link) draft.url = item.link;
  return draft;
}

/** Untitled items (allowed in RSS 2.0 and JSON Feed) get their opening words as a title. */
function firstWords(body: BodyBlock[]): string | undefined {
  const text = body[0]?.text;
  if (!text) return undefined;
  if (text.length <= 80) return text;
  const cut = text.slice(0, 80);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 40 ? cut.lastIndexOf(' ') : 80)}…`;
}
