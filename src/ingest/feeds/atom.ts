import { parseFeedDate } from './dates.js';
import { collapse } from './html-text.js';
import { atomText, inlineText } from './text-construct.js';
import type { FeedEnclosure, FeedItem, ParsedFeed } from './types.js';
import { NS, attr, elements, resolveUrl, textOf, type XmlElement } from './xml-tree.js';

/** Atom 1.0 and the pre-standard Atom 0.3, whose names differ (tagline, modified, issued, mode). */
export function normaliseAtom(root: XmlElement): ParsedFeed {
  const atomNs = root.ns;
  const isAtom = (el: XmlElement): boolean => el.ns === atomNs || el.ns === NS.atom10 || el.ns === NS.atom03;
  const child = (parent: XmlElement, ...locals: string[]): XmlElement | undefined => {
    for (const local of locals) {
      const found = elements(parent).find((el) => el.local === local && isAtom(el));
      if (found) return found;
    }
    return undefined;
  };
  const childText = (parent: XmlElement, ...locals: string[]): string | undefined => {
    const el = child(parent, ...locals);
    const text = el ? textOf(el).trim() : '';
    return text || undefined;
  };
  const links = (parent: XmlElement): { rel: string; type: string; href: string; el: XmlElement }[] =>
    elements(parent)
      .filter((el) => el.local === 'link' && isAtom(el))
      .map((el) => ({
        rel: (attr(el, 'rel') ?? 'alternate').trim(),
        type: (attr(el, 'type') ?? '').trim(),
        href: attr(el, 'href') ?? textOf(el),
        el,
      }))
      .filter((link) => link.href.trim() !== '');
  let fallbackBase: string | undefined;
  const alternate = (parent: XmlElement): string | undefined => {
    const candidates = links(parent).filter((link) => link.rel === 'alternate');
    const best = candidates.find((link) => link.type === '' || link.type.includes('html')) ?? candidates[0];
    return best ? resolveUrl(best.href, best.el.base ?? fallbackBase) : undefined;
  };
  const authorName = (parent: XmlElement): string | undefined => {
    const author = child(parent, 'author');
    if (!author) return undefined;
    const name = childText(author, 'name') ?? childText(author, 'email');
    return name ? inlineText(name) : undefined;
  };

  const version = atomNs === NS.atom03 || root.attrs.version?.trim() === '0.3' ? '0.3' : '1.0';
  const titleEl = child(root, 'title');
  const feed: ParsedFeed = {
    format: 'atom',
    version,
    title: titleEl ? collapse(atomText(titleEl).text) : '',
    items: [],
  };
  const selfLink = links(root).find((l) => l.rel === 'self');
  fallbackBase = root.base ?? (selfLink && /^https?:/i.test(selfLink.href.trim()) ? selfLink.href.trim() : undefined);
  const link = alternate(root);
  if (link) feed.link = link;
  // With neither a document URL nor xml:base, entry links resolve against the feed's own site.
  fallbackBase = root.base ?? link;
  if (selfLink) feed.self = resolveUrl(selfLink.href, selfLink.el.base);
  const subtitle = child(root, 'subtitle', 'tagline');
  if (subtitle) {
    const text = atomText(subtitle).text;
    if (text) feed.description = text;
  }
  if (root.lang) feed.language = root.lang.replace(/_/g, '-');
  const logo = child(root, 'logo', 'icon');
  if (logo) feed.image = resolveUrl(textOf(logo), logo.base);
  const updated = parseFeedDate(childText(root, 'updated', 'modified'));
  if (updated) feed.updated = updated;
  const feedAuthor = authorName(root);

  for (const entry of elements(root).filter((el) => el.local === 'entry' && isAtom(el))) {
    const item: FeedItem = { categories: [], enclosures: [] };
    const id = childText(entry, 'id');
    if (id) item.guid = id;
    const title = child(entry, 'title');
    if (title) {
      const text = collapse(atomText(title).text);
      if (text) item.title = text;
    }
    const entryLink = alternate(entry) ?? (id && /^https?:\/\//i.test(id) ? id : undefined);
    if (entryLink) item.link = entryLink;
    const summaryEl = child(entry, 'summary');
    const summary = summaryEl ? atomText(summaryEl) : undefined;
    if (summary?.text) item.summary = summary.text;
    const contentEl = child(entry, 'content');
    const content = contentEl && !attr(contentEl, 'src') ? atomText(contentEl) : undefined;
    const html = content?.html || summary?.html;
    if (html) item.contentHtml = html;
    const author = authorName(entry) ?? dcCreator(entry) ?? feedAuthor;
    if (author) item.author = author;
    const published = parseFeedDate(childText(entry, 'published', 'issued', 'created') ?? dcDate(entry));
    if (published) item.published = published;
    const entryUpdated = parseFeedDate(childText(entry, 'updated', 'modified'));
    if (entryUpdated) item.updated = entryUpdated;
    const categories = new Set<string>();
    for (const el of elements(entry)) {
      const term =
        el.local === 'category' && isAtom(el)
          ? (attr(el, 'term') ?? attr(el, 'label') ?? textOf(el))
          : el.local === 'subject' && el.ns === NS.dc
            ? textOf(el)
            : undefined;
      const clean = term?.trim();
      if (clean) categories.add(clean);
    }
    item.categories = [...categories];
    item.enclosures = links(entry)
      .filter((l) => l.rel === 'enclosure')
      .map((l): FeedEnclosure => {
        const enclosure: FeedEnclosure = { url: resolveUrl(l.href, l.el.base) ?? l.href };
        if (l.type) enclosure.type = l.type;
        const length = Number(attr(l.el, 'length'));
        if (Number.isFinite(length) && length > 0) enclosure.length = length;
        return enclosure;
      });
    const thumb = elements(entry).find((el) => el.ns === NS.media && el.local === 'thumbnail');
    const image =
      (thumb && resolveUrl(attr(thumb, 'url'), entry.base)) ??
      item.enclosures.find((e) => e.type?.startsWith('image/'))?.url;
    if (image) item.image = image;
    feed.items.push(item);
  }
  return feed;
}

function dcCreator(entry: XmlElement): string | undefined {
  const el = elements(entry).find((e) => e.ns === NS.dc && e.local === 'creator');
  return el ? textOf(el).trim() || undefined : undefined;
}

function dcDate(entry: XmlElement): string | undefined {
  const el = elements(entry).find((e) => e.ns === NS.dc && e.local === 'date');
  return el ? textOf(el).trim() || undefined : undefined;
}
