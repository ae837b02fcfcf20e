import { NewsdeskError } from '../../domain/errors.js';
import { parseFeedDate } from './dates.js';
import { absolutiseHtml, collapse, htmlToText } from './html-text.js';
import { plainToHtml } from './text-construct.js';
import type { FeedItem, ParsedFeed } from './types.js';
import { resolveUrl } from './xml-tree.js';

type Json = Record<string, unknown>;

const str = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
};
const obj = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

/** JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1). */
export function normaliseJsonFeed(text: string, documentUrl: string | undefined): ParsedFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new NewsdeskError(
      'bad_input',
      `Not a valid feed: the JSON is malformed (${(err as Error).message})`,
      {},
      { cause: err },
    );
  }
  const root = obj(data);
  const versionUrl = str(root?.version) ?? '';
  if (!root || !/jsonfeed\.org\/version\/|^1(\.\d+)?$/.test(versionUrl) || !Array.isArray(root.items)) {
    throw new NewsdeskError('bad_input', 'Not a feed: JSON without a JSON Feed "version" and "items"');
  }
  const base = documentUrl ?? str(root.feed_url) ?? str(root.home_page_url);
  const feed: ParsedFeed = {
    format: 'json',
    version: trailingVersion(versionUrl),
    title: collapse(str(root.title) ?? ''),
    items: [],
  };
  const link = resolveUrl(str(root.home_page_url), base);
  if (link) feed.link = link;
  const self = resolveUrl(str(root.feed_url), base);
  if (self) feed.self = self;
  const description = str(root.description);
  if (description) feed.description = collapse(description);
  const language = str(root.language);
  if (language) feed.language = language;
  const image = resolveUrl(str(root.icon) ?? str(root.favicon), base);
  if (image) feed.image = image;
  const feedAuthor = authorOf(root);

  for (const raw of root.items) {
    const entry = obj(raw);
    if (!entry) continue;
    const item: FeedItem = { categories: [], enclosures: [] };
    const id = str(entry.id);
    if (id) item.guid = id;
    const title = str(entry.title);
    if (title) item.title = collapse(title);
    const url = resolveUrl(str(entry.url) ?? str(entry.external_url), base);
    if (url) item.link = url;
    const html = str(entry.content_html);
    const plain = str(entry.content_text);
    const summary = str(entry.summary);
    if (summary) item.summary = collapse(summary);
    else if (html) item.summary = htmlToText(html);
    else if (plain) item.summary = collapse(plain);
    if (html) item.contentHtml = absolutiseHtml(html, url ?? base);
    else if (plain) item.contentHtml = plainToHtml(plain);
    const author = authorOf(entry) ?? feedAuthor;
    if (author) item.author = author;
    const published = parseFeedDate(str(entry.date_published));
    if (published) item.published = published;
    const updated = parseFeedDate(str(entry.date_modified));
    if (updated) item.updated = updated;
    if (Array.isArray(entry.tags))
      item.categories = [...new Set(entry.tags.map(str).filter((tag): tag is string => tag !== undefined))];
    if (Array.isArray(entry.attachments)) {
      for (const attachment of entry.attachments.map(obj)) {
        const attachmentUrl = resolveUrl(str(attachment?.url), base);
        if (!attachment || !attachmentUrl) continue;
        const type = str(attachment.mime_type);
        const size = Number(attachment.size_in_bytes);
        item.enclosures.push({ url: attachmentUrl, ...(type ? { type } : {}), ...(size > 0 ? { length: size } : {}) });
      }
    }
    const image = resolveUrl(str(entry.image) ?? str(entry.banner_image), base);
    if (image) item.image = image;
    feed.items.push(item);
  }
  return feed;
}

/** The digits and dots that end the version URL. A scan: `([\d.]+)$` retries from every digit. */
function trailingVersion(versionUrl: string): string {
  let start = versionUrl.length;
  while (start > 0 && /[\d.]/.test(versionUrl.charAt(start - 1))) start--;
  return start < versionUrl.length ? versionUrl.slice(start, start + 16) : '1';
}

/** 1.1 has `authors` (array); 1.0 has `author` (object). */
function authorOf(node: Json): string | undefined {
  const authors = Array.isArray(node.authors) ? node.authors.map(obj) : [obj(node.author)];
  const names = authors.map((author) => str(author?.name)).filter((name): name is string => name !== undefined);
  return names.length > 0 ? names.join(', ') : undefined;
}
