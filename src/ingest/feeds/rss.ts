import { parseFeedDate } from './dates.js';
import { atomText, inlineText, markupText, sniffedText, type RichText } from './text-construct.js';
import type { FeedEnclosure, FeedItem, ParsedFeed } from './types.js';
import { NS, attr, elements, innerXml, resolveUrl, textOf, type XmlElement } from './xml-tree.js';

/** Namespaces RSS core elements appear in, across 0.90, 0.91 (userland/netscape), 1.0 and 2.0. */
const RSS_NS = new Set([
  '',
  NS.rss10,
  NS.rss090,
  NS.rss20,
  NS.rss091,
  'http://purl.org/rss/2.0/',
  'http://backend.userland.com/RSS2',
  'http://backend.userland.com/rss',
]);
const isRss = (el: XmlElement): boolean => RSS_NS.has(el.ns);

function first(parent: XmlElement, ns: string | null, ...locals: string[]): XmlElement | undefined {
  for (const local of locals) {
    const found = elements(parent).find((el) => el.local === local && (ns === null ? isRss(el) : el.ns === ns));
    if (found) return found;
  }
  return undefined;
}

function firstText(parent: XmlElement, ns: string | null, ...locals: string[]): string | undefined {
  for (const local of locals) {
    for (const el of elements(parent)) {
      if (el.local !== local || (ns === null ? !isRss(el) : el.ns !== ns)) continue;
      const text = textOf(el).trim();
      if (text) return text;
    }
  }
  return undefined;
}

/** RSS 0.9x / 2.0 (`<rss>`) and RSS 0.90 / 1.0 (`<rdf:RDF>`). */
export function normaliseRss(root: XmlElement, documentUrl: string | undefined): ParsedFeed {
  const isRdf = root.local === 'RDF';
  const channel = first(root, null, 'channel') ?? root;
  const version = isRdf
    ? elements(root).some((el) => el.ns === NS.rss090)
      ? '0.90'
      : '1.0'
    : (root.attrs.version ?? '2.0').trim();
  const itemParent = isRdf ? root : channel;
  let itemEls = elements(itemParent).filter((el) => el.local === 'item' && isRss(el));
  // RDF feeds sometimes put items inside the channel too.
  if (isRdf && itemEls.length === 0) itemEls = elements(channel).filter((el) => el.local === 'item' && isRss(el));

  const selfLink = elements(channel).find(
    (el) => el.ns === NS.atom10 && el.local === 'link' && attr(el, 'rel') === 'self',
  );
  const self = resolveUrl(selfLink && attr(selfLink, 'href'), channel.base);
  const rawLink = firstText(channel, null, 'link');
  const base = channel.base ?? self ?? absoluteOrUndefined(rawLink);
  const link = resolveUrl(rawLink, base) ?? atomAlternate(channel, base);
  // Item links are relative to the site, not to wherever the feed is hosted (CDNs, FeedBurner):
  // an explicit xml:base wins, then the channel's absolute link, then the document URL.
  const fallbackBase = channel.baseExplicit ? channel.base : (absoluteOrUndefined(link) ?? base);

  const titleRaw = firstText(channel, null, 'title') ?? firstText(channel, NS.dc, 'title');
  const descriptionRaw =
    firstText(channel, null, 'description') ??
    firstText(channel, NS.dc, 'description') ??
    firstText(channel, NS.itunes, 'subtitle', 'summary');
  const ttl = Number(firstText(channel, null, 'ttl'));
  const imageEl = first(channel, null, 'image') ?? first(root, null, 'image');
  const imageUrl = imageEl ? (firstText(imageEl, null, 'url') ?? attr(imageEl, 'resource')) : undefined;
  const itunesImage = elements(channel).find((el) => el.ns === NS.itunes && el.local === 'image');

  const feed: ParsedFeed = {
    format: 'rss',
    version,
    title: titleRaw ? inlineText(titleRaw) : '',
    items: itemEls.map((el) => normaliseItem(el, fallbackBase)),
  };
  if (link) feed.link = link;
  if (self) feed.self = self;
  if (descriptionRaw) feed.description = sniffedText(descriptionRaw, base).text;
  const language = firstText(channel, null, 'language') ?? firstText(channel, NS.dc, 'language');
  if (language) feed.language = language.replace(/_/g, '-');
  const image =
    resolveUrl(imageUrl, imageEl?.base ?? base) ?? resolveUrl(itunesImage && attr(itunesImage, 'href'), base);
  if (image) feed.image = image;
  const updated = parseFeedDate(
    firstText(channel, null, 'lastBuildDate', 'pubDate') ??
      firstText(channel, NS.dc, 'date') ??
      firstText(channel, NS.dcterms, 'modified'),
  );
  if (updated) feed.updated = updated;
  if (Number.isFinite(ttl) && ttl > 0) feed.ttlMinutes = Math.round(ttl);
  return feed;
}

function absoluteOrUndefined(url: string | undefined): string | undefined {
  if (!url) return undefined;
  return /^https?:\/\//i.test(url.trim()) ? url.trim() : undefined;
}

function atomAlternate(parent: XmlElement, base: string | undefined): string | undefined {
  const link = elements(parent).find(
    (el) =>
      (el.ns === NS.atom10 || el.ns === NS.atom03) &&
      el.local === 'link' &&
      (attr(el, 'rel') ?? 'alternate') === 'alternate',
  );
  return link ? resolveUrl(attr(link, 'href'), link.baseExplicit ? link.base : base) : undefined;
}

function normaliseItem(item: XmlElement, fallbackBase: string | undefined): FeedItem {
  const base = item.baseExplicit ? item.base : fallbackBase;
  const baseOf = (el: XmlElement | undefined): string | undefined => (el?.baseExplicit ? el.base : base);
  const out: FeedItem = { categories: [], enclosures: [] };

  const guidEl = first(item, null, 'guid');
  const guid = (guidEl && textOf(guidEl).trim()) || firstText(item, NS.dc, 'identifier') || attr(item, 'about')?.trim();
  if (guid) out.guid = guid;

  const titleRaw =
    firstText(item, null, 'title') ?? firstText(item, NS.dc, 'title') ?? firstText(item, NS.media, 'title');
  if (titleRaw) out.title = inlineText(titleRaw);

  const linkEl = first(item, null, 'link');
  let link = linkEl ? resolveUrl(textOf(linkEl).trim() || undefined, baseOf(linkEl)) : undefined;
  link ??= atomAlternate(item, base);
  // A guid is a permalink unless it says otherwise (RSS 2.0 spec).
  if (
    !link &&
    guidEl &&
    attr(guidEl, 'isPermaLink')?.trim().toLowerCase() !== 'false' &&
    /^https?:\/\//i.test(guid ?? '')
  )
    link = guid;
  if (link) out.link = link;

  const descEl =
    first(item, null, 'description') ?? first(item, NS.dc, 'description') ?? first(item, NS.itunes, 'summary');
  const description = descEl ? sniffedText(textOf(descEl), baseOf(descEl)) : undefined;
  if (description?.text) out.summary = description.text;
  const content = itemContent(item, base) ?? description;
  if (content?.html) out.contentHtml = content.html;

  const author =
    firstText(item, NS.dc, 'creator', 'author') ??
    firstText(item, null, 'author') ??
    firstText(item, NS.itunes, 'author') ??
    atomAuthor(item);
  if (author) out.author = inlineText(personName(author));

  const published = parseFeedDate(
    firstText(item, null, 'pubDate') ??
      firstText(item, NS.dc, 'date') ??
      firstText(item, NS.dcterms, 'issued', 'created', 'date') ??
      firstText(item, NS.atom10, 'published'),
  );
  if (published) out.published = published;
  const updated = parseFeedDate(firstText(item, NS.dcterms, 'modified') ?? firstText(item, NS.atom10, 'updated'));
  if (updated) out.updated = updated;

  const categories = new Set<string>();
  for (const el of elements(item)) {
    const raw =
      (el.local === 'category' && isRss(el)) || (el.local === 'subject' && el.ns === NS.dc)
        ? textOf(el)
        : el.local === 'category' && el.ns === NS.itunes
          ? itunesCategory(el)
          : undefined;
    const term = raw === undefined ? '' : inlineText(raw);
    if (term) categories.add(term);
  }
  out.categories = [...categories];
  out.enclosures = enclosures(item, base);
  const image = itemImage(item, base, out.enclosures) ?? firstImage(out.contentHtml);
  if (image) out.image = image;
  return out;
}

/**
 * Authors come as "email (Name)" (RSS 2.0) or "Name (email)"; keep the name when there is one.
 * Scanned by hand: the obvious patterns (`\S+@\S+\s*\((.+)\)`) backtrack cubically on "(a@(a@…".
 */
function personName(value: string): string {
  const trimmed = value.trim();
  if (!trimmed.endsWith(')')) return trimmed;
  const open = trimmed.indexOf('(');
  if (open > 0) {
    const email = trimmed.slice(0, open).trimEnd();
    const inner = trimmed.slice(open + 1, -1);
    if (inner !== '' && isBareEmail(email)) return inner;
  }
  const last = trimmed.lastIndexOf('(');
  if (last > 0) {
    const name = trimmed.slice(0, last).trimEnd();
    if (name !== '' && isBareEmail(trimmed.slice(last + 1, -1))) return name;
  }
  return trimmed;
}

/** Something@something with no whitespace. */
function isBareEmail(text: string): boolean {
  const at = text.indexOf('@');
  return at > 0 && at < text.length - 1 && !/\s/.test(text);
}

/** The fullest body: content:encoded, then an inline XHTML body, then feedparser's `<fullitem>`. */
function itemContent(item: XmlElement, base: string | undefined): RichText | undefined {
  const encoded = first(item, NS.content, 'encoded');
  const encodedText = encoded ? textOf(encoded) : '';
  if (encodedText.trim()) return sniffedText(encodedText, encoded?.baseExplicit ? encoded.base : base);
  const body = elements(item).find((el) => el.local === 'body' && (el.ns === NS.xhtml || isRss(el)));
  if (body) {
    const html = innerXml(body);
    return markupText(html, body.baseExplicit ? body.base : base);
  }
  const atomContent = elements(item).find((el) => el.local === 'content' && el.ns === NS.atom10);
  if (atomContent) {
    const rich = atomText(atomContent);
    if (rich.html) return rich;
  }
  const fullitem = elements(item).find((el) => el.local === 'fullitem');
  const fullText = fullitem ? textOf(fullitem) : '';
  return fullText.trim() ? sniffedText(fullText, fullitem?.baseExplicit ? fullitem.base : base) : undefined;
}

function atomAuthor(item: XmlElement): string | undefined {
  const author = elements(item).find((el) => el.ns === NS.atom10 && el.local === 'author');
  return author ? firstText(author, NS.atom10, 'name') : undefined;
}

const IMG_SRC = /\ssrc\s*=\s*["']([^"']+)["']/i;

/**
 * The first <img> of the body stands in for an item image when the feed names none. Each tag is cut
 * at its `>` before the src pattern runs, so a run of unclosed `<img` costs one pass, not one per tag.
 */
function firstImage(html: string | undefined): string | undefined {
  if (!html) return undefined;
  const lower = html.toLowerCase();
  for (let at = lower.indexOf('<img'); at >= 0; at = lower.indexOf('<img', at + 4)) {
    if (/\w/.test(lower.charAt(at + 4))) continue;
    const close = lower.indexOf('>', at);
    const src = IMG_SRC.exec(html.slice(at + 4, close < 0 ? html.length : close))?.[1];
    if (src) return /^https?:/i.test(src) ? src : undefined;
    if (close < 0) return undefined;
    at = close - 4;
  }
  return undefined;
}

/** itunes:category nests sub-categories; the innermost is the most specific. */
function itunesCategory(el: XmlElement): string | undefined {
  const nested = elements(el).find((child) => child.ns === NS.itunes && child.local === 'category');
  return (nested && attr(nested, 'text')) ?? attr(el, 'text');
}

function enclosures(item: XmlElement, base: string | undefined): FeedEnclosure[] {
  const out: FeedEnclosure[] = [];
  const seen = new Set<string>();
  const add = (url: string | undefined, type: string | undefined, length: string | undefined): void => {
    const resolved = resolveUrl(url, base);
    if (!resolved || seen.has(resolved)) return;
    seen.add(resolved);
    const enclosure: FeedEnclosure = { url: resolved };
    if (type) enclosure.type = type;
    const size = Number(length);
    if (length && Number.isFinite(size) && size > 0) enclosure.length = size;
    out.push(enclosure);
  };
  for (const el of elements(item)) {
    if (el.local === 'enclosure' && isRss(el)) add(attr(el, 'url'), attr(el, 'type'), attr(el, 'length'));
  }
  return out;
}

function itemImage(item: XmlElement, base: string | undefined, found: FeedEnclosure[]): string | undefined {
  const media = (local: string): XmlElement[] => {
    const direct = elements(item).filter((el) => el.ns === NS.media && el.local === local);
    const grouped = elements(item)
      .filter((el) => el.ns === NS.media && el.local === 'group')
      .flatMap((group) => elements(group).filter((el) => el.ns === NS.media && el.local === local));
    return [...direct, ...grouped];
  };
  const thumbnail = media('thumbnail')[0];
  if (thumbnail) return resolveUrl(attr(thumbnail, 'url'), base);
  const content = media('content').find(
    (el) => attr(el, 'medium') === 'image' || (attr(el, 'type') ?? '').startsWith('image/'),
  );
  if (content) return resolveUrl(attr(content, 'url'), base);
  const itunes = elements(item).find((el) => el.ns === NS.itunes && el.local === 'image');
  if (itunes) return resolveUrl(attr(itunes, 'href'), base);
  return found.find((enclosure) => enclosure.type?.startsWith('image/'))?.url;
}
