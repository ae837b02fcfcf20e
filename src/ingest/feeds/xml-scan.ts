import { COMMON_HTML, CURRENCY } from '@nodable/entities';
import { openElement, rootScope, type Scope, type XmlElement } from './xml-tree.js';

/**
 * A one-pass XML reader for the documents feeds nearly always are: well-formed, no DOCTYPE, only
 * common named entities and numeric references. It builds the same tree as `parseXml` (validator +
 * fast-xml-parser + conversion) in a fraction of the time, and gives up — returning undefined — on
 * anything it is not sure of, so that path decides: malformed input, a DOCTYPE, HTML entities,
 * unusual names. It never accepts what that path would refuse. Every step moves forward: linear.
 */
export function scanXml(input: string, documentUrl: string | undefined): XmlElement | undefined {
  try {
    return scan(input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input, documentUrl);
  } catch (err) {
    if (err === UNSURE) return undefined;
    throw err;
  }
}

const UNSURE = new Error('unsure');
const unsure = (): never => {
  throw UNSURE;
};

const MAX_DEPTH = 100;
/** Names are `[A-Za-z_][\w.:-]*`, checked by character code rather than a pattern per tag. */
const isNameStart = (code: number): boolean => ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) || code === 0x5f;
const isNameChar = (code: number): boolean =>
  isNameStart(code) || (code >= 0x30 && code <= 0x3a) || code === 0x2d || code === 0x2e;
/** The named entities fast-xml-parser decodes with `htmlEntities: true` (the same tables, from its own dependency). */
const NAMED_ENTITIES = new Map<string, string>([
  ...Object.entries(COMMON_HTML),
  ...Object.entries(CURRENCY),
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
const UNKNOWN_ENTITY = /^\w{1,20}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;

/** What `readStartTag` found, in one object per scan rather than one per tag. */
interface StartTag {
  element: XmlElement | undefined;
  scope: Scope | undefined;
  end: number;
  selfClosing: boolean;
}

function scan(text: string, documentUrl: string | undefined): XmlElement {
  const length = text.length;
  let at = skipMisc(text, 0);
  if (text.charCodeAt(at) !== 0x3c) unsure();
  // Open elements and their scopes, as two parallel stacks.
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [];
  const tag: StartTag = { element: undefined, scope: undefined, end: 0, selfClosing: false };
  let root: XmlElement | undefined;
  let scope = rootScope(documentUrl);
  while (at < length) {
    const top = stack[stack.length - 1];
    if (text.charCodeAt(at) !== 0x3c) {
      const next = text.indexOf('<', at);
      if (next < 0 || !top) unsure();
      const raw = text.slice(at, next);
      top!.children.push(raw.indexOf('&') >= 0 ? decode(raw) : raw);
      at = next;
      continue;
    }
    const c1 = text.charCodeAt(at + 1);
    if (c1 === 0x2f) {
      const close = text.indexOf('>', at);
      if (close < 0 || !top || !isEndTagOf(text, at + 2, close, top.name)) unsure();
      stack.pop();
      scopes.pop();
      at = close + 1;
      if (stack.length === 0) {
        root = top;
        break;
      }
      scope = scopes[scopes.length - 1]!;
      continue;
    }
    if (c1 === 0x21) {
      if (text.startsWith('<!--', at)) {
        const end = text.indexOf('-->', at + 4);
        if (end < 0) unsure();
        at = end + 3;
      } else if (text.startsWith('<![CDATA[', at) && top) {
        const end = text.indexOf(']]>', at + 9);
        if (end < 0) unsure();
        top.children.push(text.slice(at + 9, end));
        at = end + 3;
      } else {
        unsure();
      }
      continue;
    }
    if (c1 === 0x3f) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0 || !top) unsure();
      at = end + 2;
      continue;
    }
    readStartTag(text, at, scope, tag);
    const element = tag.element!;
    if (top) {
      top.children.push(element);
      top.elementChildren.push(element);
    } else if (stack.length === 0 && root === undefined && tag.selfClosing) {
      root = element;
      at = tag.end;
      break;
    }
    at = tag.end;
    if (!tag.selfClosing) {
      // fast-xml-parser refuses nesting past 100 (and the tree walkers recurse); let it say so.
      if (stack.length >= MAX_DEPTH) unsure();
      stack.push(element);
      scope = tag.scope!;
      scopes.push(scope);
    }
  }
  if (!root || stack.length > 0) return unsure();
  // Only comments, processing instructions and whitespace may follow the root.
  if (skipMisc(text, at) < length) unsure();
  return root;
}

/** Whether `text[from, close)` is `name` followed by nothing but whitespace (an end tag's content). */
function isEndTagOf(text: string, from: number, close: number, name: string): boolean {
  if (!text.startsWith(name, from)) return false;
  for (let at = from + name.length; at < close; at++) if (!isSpace(text.charCodeAt(at))) return false;
  return true;
}

/** Reads the start tag at `start` into `out`. */
function readStartTag(text: string, start: number, outer: Scope, out: StartTag): void {
  let at = start + 1;
  if (!isNameStart(text.charCodeAt(at))) unsure();
  while (isNameChar(text.charCodeAt(++at)));
  const stop = text.charCodeAt(at);
  if (!isSpace(stop) && stop !== 0x2f && stop !== 0x3e) unsure();
  const name = text.slice(start + 1, at);
  const attrs: Record<string, string> = {};
  for (;;) {
    const before = at;
    while (isSpace(text.charCodeAt(at))) at++;
    const code = text.charCodeAt(at);
    if (code === 0x3e || code === 0x2f) {
      const selfClosing = code === 0x2f;
      if (selfClosing && text.charCodeAt(at + 1) !== 0x3e) unsure();
      const opened = openElement(name, attrs, outer);
      out.element = opened.element;
      out.scope = opened.scope;
      out.end = at + (selfClosing ? 2 : 1);
      out.selfClosing = selfClosing;
      return;
    }
    // Attributes must be separated by whitespace, written name="value" or name='value'.
    if (at === before || Number.isNaN(code)) unsure();
    const nameStart = at;
    if (!isNameStart(code)) unsure();
    while (isNameChar(text.charCodeAt(++at)));
    const after = text.charCodeAt(at);
    if (after !== 0x3d && !isSpace(after)) unsure();
    const attrName = text.slice(nameStart, at);
    if (RESERVED.has(attrName) || attrName in attrs) unsure();
    while (isSpace(text.charCodeAt(at))) at++;
    if (text.charCodeAt(at) !== 0x3d) unsure();
    at++;
    while (isSpace(text.charCodeAt(at))) at++;
    const quote = text[at];
    if (quote !== '"' && quote !== "'") unsure();
    const close = text.indexOf(quote!, at + 1);
    if (close < 0) unsure();
    const raw = text.slice(at + 1, close);
    if (raw.includes('<')) unsure();
    attrs[attrName] = raw.indexOf('&') >= 0 ? decode(raw) : raw;
    at = close + 1;
  }
}

/** Past whitespace, comments and processing instructions (the XML declaration among them). */
function skipMisc(text: string, from: number): number {
  let at = from;
  for (;;) {
    while (isSpace(text.charCodeAt(at))) at++;
    if (text.startsWith('<?', at)) {
      const end = text.indexOf('?>', at + 2);
      if (end < 0) unsure();
      at = end + 2;
    } else if (text.startsWith('<!--', at)) {
      const end = text.indexOf('-->', at + 4);
      if (end < 0) unsure();
      at = end + 3;
    } else {
      return at;
    }
  }
}

/** Named entities fast-xml-parser knows, numeric references and well-formed unknown names; anything else is for the full parser. */
function decode(raw: string): string {
  let out = '';
  let copied = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', amp + 1)) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 21) unsure();
    const name = raw.slice(amp + 1, semi);
    let value = NAMED_ENTITIES.get(name);
    if (value === undefined && name.charCodeAt(0) === 0x23) {
      if (semi - amp > 12) unsure();
      const hex = name.charCodeAt(1) === 0x78;
      const digits = name.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9a-fA-F]+$/ : /^\d+$/).test(digits)) unsure();
      const code = Number.parseInt(digits, hex ? 16 : 10);
      if (
        (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
        code > 0x10ffff ||
        (code >= 0xd800 && code <= 0xdfff)
      )
        unsure();
      value = String.fromCodePoint(code);
    }
    if (value === undefined) {
      // A well-formed reference to an entity it does not know (`&aacute;`), fast-xml-parser keeps as
      // written, and its validator accepts up to 20 word characters; the normaliser decodes it as HTML.
      if (!UNKNOWN_ENTITY.test(name)) unsure();
      amp = semi;
      continue;
    }
    out += raw.slice(copied, amp) + value;
    copied = semi + 1;
    amp = semi;
  }
  return out + raw.slice(copied);
}
