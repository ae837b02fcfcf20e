import { Parser } from 'htmlparser2';
import { type HtmlEvents, walkSimpleHtml } from './html-simple.js';

/** Elements whose content is never reader-visible text. */
// Fallback content of iframe/object/noscript is meant for readers, so it stays.
const SKIP = new Set(['script', 'style', 'template', 'head', 'title']);
/** Elements that end a paragraph. */
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'table',
  'tr',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'figure',
  'figcaption',
  'hr',
  'address',
  'main',
  'details',
  'summary',
]);
const HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

export interface TextBlock {
  type: 'paragraph' | 'heading';
  text: string;
}

export interface HtmlExtract {
  blocks: TextBlock[];
  links: { url: string; text?: string }[];
}

/** Walk HTML once: readable blocks in order, and the links it contains. */
export function extractHtml(html: string): HtmlExtract {
  const simple = collector();
  if (walkSimpleHtml(html, simple)) return simple.result();
  return extractHtmlFully(html);
}

/** The same walk through htmlparser2, for any HTML at all. */
export function extractHtmlFully(html: string): HtmlExtract {
  const full = collector();
  const parser = new Parser(
    {
      onopentag: (name, attribs) => full.open(name, attribs.href),
      ontext: (text) => full.text(text),
      onclosetag: (name, isImplied) => full.close(name, isImplied),
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return full.result();
}

/** Blocks and links from a stream of parser events. */
function collector(): HtmlEvents & { result(): HtmlExtract } {
  const blocks: TextBlock[] = [];
  const links: { url: string; text?: string }[] = [];
  let current = '';
  let currentIsHeading = false;
  let skipDepth = 0;
  let openLink: { url: string; text: string } | undefined;

  const flush = (): void => {
    const text = collapse(current);
    if (text) blocks.push({ type: currentIsHeading ? 'heading' : 'paragraph', text });
    current = '';
    currentIsHeading = false;
  };

  return {
    open(name, href) {
      if (SKIP.has(name)) {
        skipDepth++;
        return;
      }
      if (BLOCK.has(name)) flush();
      if (HEADING.has(name)) currentIsHeading = true;
      if (name === 'a' && href) openLink = { url: href, text: '' };
    },
    text(text) {
      if (skipDepth > 0) return;
      current += text;
      if (openLink) openLink.text += text;
    },
    close(name, isImplied) {
      if (SKIP.has(name)) {
        if (skipDepth > 0) skipDepth--;
        return;
      }
      if (name === 'a' && openLink) {
        const text = collapse(openLink.text);
        links.push(text ? { url: openLink.url, text } : { url: openLink.url });
        openLink = undefined;
      }
      if (BLOCK.has(name) && !(isImplied && name === 'br')) flush();
    },
    result() {
      flush();
      return { blocks, links };
    },
  };
}

/** HTML → plain text, paragraphs separated by a blank line. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapse(html);
  return extractHtml(html)
    .blocks.map((block) => block.text)
    .join('\n\n');
}

/** HTML → one line of text, for titles and names. */
export function htmlToInline(html: string): string {
  if (!/[<&]/.test(html)) return collapse(html);
  return collapse(htmlToText(html));
}

/** Whether a text field written without a declared type is really HTML. */
export function looksLikeHtml(text: string): boolean {
  return /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>|&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]+);/i.test(text);
}

/** Whitespace that is not a lone space, or a space at either end: the cases where collapsing changes anything. */
const NEEDS_COLLAPSE = /[^\S ]| {2}|^ | $/;

export function collapse(text: string): string {
  // JavaScript's \s already includes U+00A0. Most fields are clean; testing is cheaper than rebuilding.
  return NEEDS_COLLAPSE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

const URL_ATTR = /(\s)(href|src|poster|srcset)(\s*=\s*)(["'])([^"']*)\4/gi;

/**
 * Make href/src/poster/srcset in HTML absolute, leaving the rest of the markup untouched. Tags are
 * found by a scan to the next `>`: a tag pattern with `[^>]*` retried from every `<` is quadratic
 * on a run of unclosed tags ("<a<a<a…").
 */
export function absolutiseHtml(html: string, base: string | undefined): string {
  if (!base || !mayHoldRelativeUrl(html)) return html;
  // Positions of URL attributes, found left to right; only tags that hold one are cut out and rewritten.
  const hits = new RegExp(MAY_HOLD_URL.source, 'gi');
  let hit = hits.exec(html)?.index ?? -1;
  if (hit < 0) return html;
  const parts: string[] = [];
  let copied = 0;
  for (let open = html.indexOf('<'); open >= 0 && hit >= 0; open = html.indexOf('<', open + 1)) {
    if (open > hit) {
      hits.lastIndex = open;
      hit = hits.exec(html)?.index ?? -1;
      if (hit < 0) break;
    }
    if (!isTagStart(html, open)) continue;
    const close = html.indexOf('>', open);
    // No `>` after this `<` means no later tag can close either.
    if (close < 0) break;
    if (hit < close) {
      const tag = html.slice(open, close + 1);
      const rewritten = tag.replace(
        URL_ATTR,
        (_whole, space: string, name: string, eq: string, quote: string, value: string) => {
          const resolved = name.toLowerCase() === 'srcset' ? resolveSrcset(value, base) : resolveOne(value, base);
          return `${space}${name}${eq}${quote}${resolved}${quote}`;
        },
      );
      if (rewritten !== tag) {
        parts.push(html.slice(copied, open), rewritten);
        copied = close + 1;
      }
    }
    open = close;
  }
  if (copied === 0) return html;
  parts.push(html.slice(copied));
  return parts.join('');
}

const isLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/** `<` + a letter, then a name of letters and digits that ends at a non-word character. */
function isTagStart(html: string, open: number): boolean {
  let at = open + 1;
  if (!isLetter(html.charCodeAt(at))) return false;
  while (isLetter(html.charCodeAt(at)) || isDigit(html.charCodeAt(at))) at++;
  const next = html.charCodeAt(at);
  return next !== 0x5f && !isLetter(next) && !isDigit(next);
}

const URL_ATTR_START = /(href|src|poster|srcset)\s*=\s*(["']?)/gi;
const ABSOLUTE_START = /[ \t\n\r]*[a-z][a-z0-9+.-]*:/iy;

/**
 * Whether any URL attribute could be rewritten: true unless every quoted `href=`, `src=` and
 * `poster=` anywhere in the text (in a tag or not) opens an absolute URL, which `resolveOne` leaves
 * as it is. Feeds mostly write absolute URLs, and one pass of this pattern costs far less than
 * walking every tag.
 */
function mayHoldRelativeUrl(html: string): boolean {
  URL_ATTR_START.lastIndex = 0;
  for (let hit = URL_ATTR_START.exec(html); hit; hit = URL_ATTR_START.exec(html)) {
    // Unquoted values are never rewritten; a srcset lists several URLs, so it takes the full walk.
    if (hit[2] === '') continue;
    if (hit[1]!.length === 6 && hit[1]!.toLowerCase() === 'srcset') return true;
    ABSOLUTE_START.lastIndex = hit.index + hit[0].length;
    if (!ABSOLUTE_START.test(html)) return true;
  }
  return false;
}

/** Whether a tag can hold a URL attribute at all, before the attribute pattern runs on it. */
const MAY_HOLD_URL = /\s(?:href|src|poster|srcset)\s*=/i;

function resolveSrcset(value: string, base: string): string {
  return value
    .split(',')
    .map((candidate) => {
      const parts = candidate.trim().split(/\s+/);
      const [url, ...rest] = parts;
      return url ? [resolveOne(url, base), ...rest].join(' ') : candidate;
    })
    .join(', ');
}

function resolveOne(value: string, base: string): string {
  const trimmed = value.trim();
  // Leave schemes that are not navigations (mailto:, data:, javascript: is dropped by text extraction anyway).
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return value;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return value;
  }
}
