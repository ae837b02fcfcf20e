import { NewsdeskError } from '../../domain/errors.js';
import { normaliseAtom } from './atom.js';
import { decodeFeedBytes } from './decode.js';
import { normaliseJsonFeed } from './json-feed.js';
import { normaliseRss } from './rss.js';
import type { ParsedFeed, ParseFeedOptions } from './types.js';
import { scanXml } from './xml-scan.js';
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
  const xml = stripDoctype(body);
  const root = scanXml(xml, documentUrl) ?? parseXml(xml, documentUrl);
  const local = root.local.toLowerCase();
  if (local === 'rss' || local === 'rdf' || (local === 'channel' && (root.ns === NS.rss10 || root.ns === '')))
    return normaliseRss(root, documentUrl);
  if (local === 'feed') return normaliseAtom(root);
  if (local === 'html')
    throw new NewsdeskError('bad_input', 'Not a feed: the URL returned an HTML page (look for its RSS or Atom link)');
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
  if (head.startsWith('<!doctype html')) return true;
  const afterProlog = skipProlog(head, 0, false);
  if (head.startsWith('<html', afterProlog) && /[\s>]/.test(head.charAt(afterProlog + 5))) return true;
  return (
    contentType !== undefined &&
    /^\s*text\/html/i.test(contentType) &&
    !/<(rss|feed|rdf:rdf)[\s>]/i.test(body.slice(0, 4096))
  );
}

/**
 * Index just past the XML declaration, processing instructions, comments and whitespace at `from`.
 * A hand scan, because `(<!--[\s\S]*?-->\s*)*` backtracks exponentially over a run of comments.
 */
function skipProlog(text: string, from: number, instructions = true): number {
  let at = from;
  for (;;) {
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
    if (text.startsWith('<?', at) && (instructions || at === from)) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0) return at;
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) return at;
      at = end + 3;
    } else {
      return at;
    }
  }
}

const MAX_ENTITIES = 100;
const ENTITY_DECL = /<!ENTITY\s+[A-Za-z_][\w.-]*\s+(["'])[^"'&%]{0,200}\1\s*>/g;

/**
 * A DOCTYPE can declare entities (and entity bombs), and RSS 0.91's Netscape DTD is routinely
 * referenced without being fetchable. Keep only internal entity declarations that are small.
 * Only the prolog can hold a DOCTYPE; it is found by a scan, since a pattern tried from every
 * `<!DOCTYPE` in a document of them is quadratic.
 */
function stripDoctype(body: string): string {
  const start = skipProlog(body, 0);
  if (body.slice(start, start + 9).toUpperCase() !== '<!DOCTYPE') return body;
  let at = start + 9;
  while (at < body.length && body[at] !== '[' && body[at] !== '>') at++;
  if (at >= body.length) throw new NewsdeskError('bad_input', 'Not a valid feed: its DOCTYPE is never closed');
  if (body[at] === '>') return body.slice(0, start) + body.slice(at + 1);
  const subsetStart = at;
  let end = -1;
  for (let close = body.indexOf(']', at + 1); close >= 0; close = body.indexOf(']', close + 1)) {
    let after = close + 1;
    while (after < body.length && /\s/.test(body.charAt(after))) after++;
    if (body[after] === '>') {
      end = after + 1;
      at = close;
      break;
    }
  }
  if (end < 0) throw new NewsdeskError('bad_input', 'Not a valid feed: its DOCTYPE is never closed');
  const subset = body.slice(subsetStart, at + 1);
  const entities: string[] = [];
  for (const match of subset.matchAll(ENTITY_DECL)) {
    if (entities.length >= MAX_ENTITIES) break;
    entities.push(match[0]);
  }
  const kept = entities.length > 0 ? `<!DOCTYPE x [${entities.join('')}]>` : '';
  return body.slice(0, start) + kept + body.slice(end);
}
