/** What a walk over HTML reports: the same events, in the same order, as htmlparser2's `Parser`. */
export interface HtmlEvents {
  open(name: string, href: string | undefined): void;
  text(text: string): void;
  close(name: string, implied: boolean): void;
}

/** Elements after which htmlparser2 (like the HTML spec) closes an open `<p>`. */
const CLOSES_P = new Set(['p']);
const CLOSES_HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p']);
/** The elements this walk knows, each with the open elements its start tag closes. */
const KNOWN = new Map<string, ReadonlySet<string>>([
  ['a', new Set(['a'])],
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((name): [string, ReadonlySet<string>] => [name, CLOSES_HEADING]),
  ...[
    'p',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((name): [string, ReadonlySet<string>] => [name, CLOSES_P]),
  ...'abbr audio b big br caption center cite code col colgroup del dfn em embed font i img ins kbd link mark meta param picture q s samp small source span strike strong sub summary sup thead time track tt u var video wbr'
    .split(' ')
    .map((name): [string, ReadonlySet<string>] => [name, new Set()]),
]);
const VOID = new Set(['br', 'img', 'hr', 'wbr', 'source', 'track', 'embed', 'col', 'param', 'link', 'meta']);
/** Entities common in feed HTML; anything else goes to htmlparser2's full tables. */
const ENTITIES = new Map<string, string>([
  ['amp', '&'],
  ['lt', '<'],
  ['gt', '>'],
  ['quot', '"'],
  ['apos', "'"],
  ['nbsp', '\u00a0'],
  ['hellip', '\u2026'],
  ['mdash', '\u2014'],
  ['ndash', '\u2013'],
  ['lsquo', '\u2018'],
  ['rsquo', '\u2019'],
  ['ldquo', '\u201c'],
  ['rdquo', '\u201d'],
  ['copy', '\u00a9'],
  ['reg', '\u00ae'],
  ['trade', '\u2122'],
  ['bull', '\u2022'],
  ['middot', '\u00b7'],
  ['laquo', '\u00ab'],
  ['raquo', '\u00bb'],
]);

const MAX_DEPTH = 256;
const BAIL = new Error('not simple');
const bail = (): never => {
  throw BAIL;
};
/** `=`, `>`, `/`, quotes and `<` end an attribute name (htmlparser2 reads the last three as a slip). */
const ENDS_NAME = new Set([0x3d, 0x3e, 0x2f, 0x22, 0x27, 0x3c]);
const isLetter = (code: number): boolean => (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isSpace = (code: number): boolean =>
  code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d || code === 0x0c;

/**
 * Walk HTML made of the common elements, quoted or plain attributes and common entities, reporting
 * exactly the events htmlparser2 would, several times faster. Returns false, part-way, on anything
 * else (comments, scripts, forms, tables, foreign content, rare entities): the caller then discards
 * what it was told and asks htmlparser2. Every step moves forward: linear.
 */
export function walkSimpleHtml(html: string, events: HtmlEvents): boolean {
  try {
    walk(html, events);
    return true;
  } catch (err) {
    if (err === BAIL) return false;
    throw err;
  }
}

function walk(html: string, events: HtmlEvents): void {
  const stack: string[] = [];
  const open = (name: string, href: string | undefined, selfClosing: boolean): void => {
    const closes = KNOWN.get(name) ?? bail();
    // An end tag looks its element up the stack; past this depth leave that to htmlparser2.
    if (stack.length >= MAX_DEPTH) bail();
    while (stack.length > 0 && closes.has(stack[stack.length - 1]!)) events.close(stack.pop()!, true);
    if (!VOID.has(name)) stack.push(name);
    events.open(name, href);
    if (VOID.has(name)) events.close(name, true);
    else if (selfClosing) events.close(stack.pop()!, true);
  };
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    const end = lt < 0 ? html.length : lt;
    if (end > at) events.text(decodeText(html, at, end));
    if (lt < 0) break;
    const next = html.charCodeAt(lt + 1);
    if (isLetter(next)) {
      at = readStartTag(html, lt, open);
    } else if (next === 0x2f && isLetter(html.charCodeAt(lt + 2))) {
      let stop = lt + 2;
      while (isLetter(html.charCodeAt(stop)) || isDigit(html.charCodeAt(stop))) stop++;
      const name = html.slice(lt + 2, stop).toLowerCase();
      while (isSpace(html.charCodeAt(stop))) stop++;
      if (html.charCodeAt(stop) !== 0x3e) bail();
      at = stop + 1;
      const depth = stack.lastIndexOf(name);
      if (VOID.has(name)) {
        // htmlparser2 reads `</br>` as a line break and drops any other void end tag.
        if (name === 'br') {
          events.open('br', undefined);
          events.close('br', false);
        }
      } else if (depth >= 0) {
        while (stack.length - 1 > depth) events.close(stack.pop()!, true);
        events.close(stack.pop()!, false);
      } else if (name === 'p') {
        events.open('p', undefined);
        events.close('p', false);
      }
    } else if (next === 0x21 || next === 0x3f || next === 0x2f || Number.isNaN(next)) {
      bail();
    } else {
      // A `<` that opens no tag ("a < b") is text.
      events.text('<');
      at = lt + 1;
    }
  }
  while (stack.length > 0) events.close(stack.pop()!, true);
}

/** Reads the start tag at `lt` and reports it through `open`; returns the index after it. */
function readStartTag(
  html: string,
  lt: number,
  open: (name: string, href: string | undefined, selfClosing: boolean) => void,
): number {
  let at = lt + 1;
  while (isLetter(html.charCodeAt(at)) || isDigit(html.charCodeAt(at))) at++;
  const name = html.slice(lt + 1, at).toLowerCase();
  let href: string | undefined;
  for (;;) {
    const before = at;
    while (isSpace(html.charCodeAt(at))) at++;
    const code = html.charCodeAt(at);
    if (code === 0x3e) {
      open(name, href, false);
      return at + 1;
    }
    if (code === 0x2f) {
      if (html.charCodeAt(at + 1) !== 0x3e) bail();
      open(name, href, true);
      return at + 2;
    }
    if (at === before) bail();
    const nameStart = at;
    while (at < html.length && !isSpace(html.charCodeAt(at)) && !ENDS_NAME.has(html.charCodeAt(at))) at++;
    if (at === nameStart) bail();
    const attr = html.slice(nameStart, at).toLowerCase();
    let value = '';
    let after = at;
    while (isSpace(html.charCodeAt(after))) after++;
    if (html.charCodeAt(after) === 0x3d) {
      at = after + 1;
      while (isSpace(html.charCodeAt(at))) at++;
      const quote = html.charAt(at);
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, at + 1);
        if (close < 0) bail();
        value = html.slice(at + 1, close);
        at = close + 1;
      } else {
        const start = at;
        while (at < html.length && !isSpace(html.charCodeAt(at)) && html.charCodeAt(at) !== 0x3e) at++;
        value = html.slice(start, at);
        if (value === '' || /["'<=`/]/.test(value)) bail();
      }
    }
    // Only a link's href is ever read; the first of a repeated attribute counts.
    if (name === 'a' && attr === 'href' && href === undefined) href = value.includes('&') ? decodeHref(value) : value;
  }
}

/**
 * An href as htmlparser2 reads it: `&amp;` is `&`, and `&name=` (a query string) stays as written,
 * since in an attribute a reference followed by `=` is never decoded. Anything else bails.
 */
function decodeHref(value: string): string {
  let out = '';
  let copied = 0;
  for (let amp = value.indexOf('&'); amp >= 0; amp = value.indexOf('&', amp + 1)) {
    if (value.startsWith('amp;', amp + 1)) {
      out += `${value.slice(copied, amp)}&`;
      copied = amp + 5;
      amp += 4;
      continue;
    }
    let at = amp + 1;
    while (isLetter(value.charCodeAt(at)) || isDigit(value.charCodeAt(at))) at++;
    if (at === amp + 1 || value.charCodeAt(at) !== 0x3d) bail();
    amp = at;
  }
  return out + value.slice(copied);
}

/** Text between tags with its common entities decoded; a rare or unterminated one bails. */
function decodeText(html: string, from: number, to: number): string {
  // Searched within the segment: a search of the whole text from each segment would be quadratic.
  const text = html.slice(from, to);
  let amp = text.indexOf('&');
  if (amp < 0) return text;
  let out = '';
  let copied = 0;
  for (; amp >= 0; amp = text.indexOf('&', amp + 1)) {
    const next = text.charCodeAt(amp + 1);
    // A bare ampersand ("Tom & Jerry") is text to htmlparser2 as well.
    if (isSpace(next) || next === 0x26) continue;
    const semi = text.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 10) bail();
    const name = text.slice(amp + 1, semi);
    let value = ENTITIES.get(name);
    if (value === undefined && /^#(?:\d{1,7}|x[0-9a-fA-F]{1,6})$/.test(name)) {
      const code = name.charCodeAt(1) === 0x78 ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      // Outside these ranges HTML substitutes characters (C1 as Windows-1252, NUL, surrogates).
      if (
        !(
          (code >= 0x20 && code < 0x7f) ||
          code === 0x0a ||
          (code >= 0xa0 && code < 0xd800) ||
          (code >= 0xe000 && code <= 0x10ffff)
        )
      )
        bail();
      value = String.fromCodePoint(code);
    }
    if (value === undefined) bail();
    out += text.slice(copied, amp) + value;
    copied = semi + 1;
    amp = semi;
  }
  return out + text.slice(copied);
}
