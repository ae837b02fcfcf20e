import { NewsdeskError } from '../../domain/errors.js';
import { normaliseAtom } from './atom.js';
import { decodeFeedBytes } from './decode.js';
import { normaliseJsonFeed } from './json-feed.js';
import { normaliseRss } from './rss.js';
import type { ParsedFeed, ParseFeedOptions } from './types.js';
import { NS, parseXml } from './xml-tree.js';

export type { FeedItem, ParsedFeed, ParseFeedOptions } from './types.js';

/**
 * Bytes of an RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.x document → one normalised feed.
 * Anything else (an HTML page, malformed XML, an unknown root) throws `bad_input` with a message
 * fit for the feed's status line.
 */
export function parseFeed(bytes: Uint8Array, options: ParseFeedOptions = {}): ParsedFeed {
  const { text } = decodeFeedBytes(bytes, options.contentType);
  // Whitespace or junk before the XML declaration is a classic strict-parser failure; skip it.
  const body = text.replace(/^[\s\ufeff\u0000]+/, '');
  if (body === '') throw new NewsdeskError('bad_input', 'Not a feed: the document is empty');
  const documentUrl = normaliseDocumentUrl(options.url);
  if (body.startsWith('{') || body.startsWith('[')) return normaliseJsonFeed(body, documentUrl);
  if (!body.startsWith('<')) throw new NewsdeskError('bad_input', 'Not a feed: the document is neither XML nor JSON');
  if (looksLikeHtmlPage(body, options.contentType)) {
    throw new NewsdeskError('bad_input', 'Not a feed: the URL returned an HTML page (look for its RSS or Atom link)');
  }
  const root = parseXml(stripDoctype(body), documentUrl);
  const local = root.local.toLowerCase();
  if (local === 'rss' || local === 'rdf' || (local === 'channel' && (root.ns === NS.rss10 || root.ns === ''))) return normaliseRss(root, documentUrl);
  if (local === 'feed') return normaliseAtom(root);
  if (local === 'html') throw new NewsdeskError('bad_input', 'Not a feed: the URL returned an HTML page (look for its RSS or Atom link)');
  throw new NewsdeskError('bad_input', `Not a feed: unknown root element <${root.name}>`);
}

function normaliseDocumentUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}

function looksLikeHtmlPage(body: string, contentType: string | undefined): boolean {
  const head = body.slice(0, 512).toLowerCase();
  if (/^<!doctype html/.test(head) || /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<html[\s>]/.test(head)) return true;
  return contentType !== undefined && /^\s*text\/html/i.test(contentType) && !/<(rss|feed|rdf:rdf)[\s>]/i.test(body.slice(0, 4096));
}

/**
 * A DOCTYPE can declare entities (and entity bombs), and RSS 0.91's Netscape DTD is routinely
 * referenced without being fetchable. Keep only internal entity declarations that are small.
 */
function stripDoctype(body: string): string {
  return body.replace(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i, (whole, subset: string | undefined) => {
    if (!subset) return '';
    const entities = subset.match(/<!ENTITY\s+[A-Za-z_][\w.-]*\s+(["'])[^"'&%]{0,200}\1\s*>/g) ?? [];
    return entities.length > 0 ? `<!DOCTYPE x [${entities.join('')}]>` : '';
  });
}
