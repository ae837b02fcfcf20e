import { absolutiseHtml, collapse, htmlToInline, htmlToText, looksLikeHtml } from './html-text.js';
import { NS, innerXml, isElement, textOf, type XmlElement } from './xml-tree.js';

/** A text field as both HTML (absolute URLs) and clean text. */
export interface RichText {
  readonly html: string;
  readonly text: string;
}

/**
 * Each form is worked out when first read: most fields need only one of them (a body its HTML,
 * a title its text), and HTML → text is the dearest step of normalising a feed. A class rather
 * than a pair of closures: a feed has thousands of these fields, and each closure pair costs more.
 */
class LazyText implements RichText {
  #html: string | undefined;
  #text: string | undefined;

  constructor(
    private readonly source: string,
    /** Markup (its URLs resolved against `base`) or plain text (made into paragraphs). */
    private readonly isMarkup: boolean,
    private readonly base: string | undefined,
  ) {}

  get html(): string {
    this.#html ??= this.isMarkup ? absolutiseHtml(this.source, this.base) : plainToHtml(this.source);
    return this.#html;
  }

  get text(): string {
    this.#text ??= this.isMarkup ? htmlToText(this.source) : collapse(this.source);
    return this.#text;
  }
}

/** Markup whose HTML form has its URLs made absolute against `base`. */
export const markupText = (html: string, base: string | undefined): RichText => new LazyText(html, true, base);
const plainText = (text: string): RichText => new LazyText(text, false, undefined);

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Plain text → HTML paragraphs, so every body is HTML downstream. */
export function plainToHtml(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => `<p>${escapeHtml(part)}</p>`)
    .join('');
}

/** An RSS / JSON field of unknown type: HTML if it looks like HTML, text otherwise. */
export function sniffedText(raw: string, base: string | undefined): RichText {
  return looksLikeHtml(raw) ? markupText(raw, base) : plainText(raw);
}

/** An RSS title: decode HTML only when it looks like HTML ("AT&T" stays). */
export function inlineText(raw: string): string {
  return looksLikeHtml(raw) ? htmlToInline(raw) : collapse(raw);
}

/**
 * An Atom text construct (1.0 `type`; 0.3 `mode` + MIME `type`). xhtml content is serialised back
 * to markup without its wrapping div.
 */
export function atomText(el: XmlElement): RichText {
  const type = (el.attrs.type ?? '').trim().toLowerCase();
  const mode = (el.attrs.mode ?? '').trim().toLowerCase();
  let raw = textOf(el);
  if (mode === 'base64') raw = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  const isXhtml =
    type === 'xhtml' ||
    type === 'application/xhtml+xml' ||
    (mode === 'xml' && type !== 'text/plain' && type !== 'text');
  if (isXhtml && mode !== 'base64' && mode !== 'escaped') {
    const kids = el.children.filter((child) => isElement(child) || child.trim() !== '');
    const only = kids.length === 1 ? kids[0] : undefined;
    const body =
      isElement(only) && only.local === 'div' && (only.ns === NS.xhtml || only.ns === '')
        ? innerXml(only)
        : innerXml(el);
    return markupText(body, el.base);
  }
  const isHtml =
    type === 'html' ||
    type === 'text/html' ||
    (mode === 'escaped' && type !== 'text/plain' && type !== 'text') ||
    (isXhtml && mode !== '');
  if (isHtml) return markupText(raw, el.base);
  if (type === '' || type === 'text' || type.startsWith('text/') || type.endsWith('+xml') || type.endsWith('/xml'))
    return plainText(raw);
  // RFC 4287 §4.1.3.3: any other MIME type is base64; decoded, it is most often HTML.
  const decoded = mode === 'base64' ? raw : Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  return markupText(decoded, el.base);
}
