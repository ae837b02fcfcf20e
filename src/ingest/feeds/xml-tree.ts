import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { NewsdeskError } from '../../domain/errors.js';

export const NS = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss10: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rss20: 'http://backend.userland.com/rss2',
  rss091: 'http://purl.org/rss/1.0/modules/rss091#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  media: 'http://search.yahoo.com/mrss/',
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  xhtml: 'http://www.w3.org/1999/xhtml',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** Prefixes feeds use without declaring them; resolving them anyway is what readers do. */
const WELL_KNOWN_PREFIXES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  atom: NS.atom10,
  atom10: NS.atom10,
  dc: NS.dc,
  dcterms: NS.dcterms,
  content: NS.content,
  media: NS.media,
  itunes: NS.itunes,
  rdf: NS.rdf,
  xhtml: NS.xhtml,
  xml: NS.xml,
});

export interface XmlElement {
  /** Namespace URI ('' for none). */
  ns: string;
  local: string;
  /** The qualified name as written. */
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** The element children alone, kept at build time: normalisers ask for them dozens of times per item. */
  elementChildren: XmlElement[];
  /** Absolute xml:base in effect for this element (or the document URL). */
  base?: string;
  /** Whether `base` comes from an xml:base on this element or an ancestor (not just the document URL). */
  baseExplicit: boolean;
  lang?: string;
}

export type XmlNode = XmlElement | string;

type FxpNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

/** Parse XML text into a namespace-resolved tree. Malformed structure throws `bad_input`. */
export function parseXml(text: string, documentUrl?: string): XmlElement {
  let verdict = XMLValidator.validate(text, { allowBooleanAttributes: true });
  if (verdict !== true) {
    // Two slips are so common in real feeds that readers accept them: a bare `&` and a document
    // cut off inside its last closing tag. Anything else is refused.
    const repaired = repairXml(text);
    if (repaired !== text && XMLValidator.validate(repaired, { allowBooleanAttributes: true }) === true) {
      text = repaired;
      verdict = true;
    }
  }
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    // The validator quotes the offending tag, which a hostile document can make megabytes long.
    const why = msg.length > 160 ? `${msg.slice(0, 160)}…` : msg;
    throw new NewsdeskError(
      'bad_input',
      `Not a valid feed: the XML is malformed at line ${line}, column ${col} (${why})`,
      { line, col },
    );
  }
  let raw: FxpNode[];
  try {
    raw = parser.parse(text) as FxpNode[];
  } catch (err) {
    const why = (err as Error).message.slice(0, 160);
    throw new NewsdeskError('bad_input', `Not a valid feed: the XML could not be parsed (${why})`, {}, { cause: err });
  }
  const root = raw.map((node) => convert(node, rootScope(documentUrl))).find(isElement);
  if (!root) throw new NewsdeskError('bad_input', 'Not a valid feed: the document has no root element');
  return root;
}

function repairXml(text: string): string {
  return text
    .replace(/&(?!(?:[A-Za-z_][\w.-]*|#\d+|#x[0-9a-fA-F]+);)/g, '&amp;')
    .replace(/(<\/[A-Za-z_][\w:.-]*)\s*$/, '$1>');
}

/** What an element inherits: namespace prefixes, the default namespace, xml:base and xml:lang. */
export interface Scope {
  prefixes: Record<string, string>;
  defaultNs: string;
  base: string | undefined;
  baseExplicit: boolean;
  lang: string | undefined;
}

export function rootScope(documentUrl: string | undefined): Scope {
  return { prefixes: WELL_KNOWN_PREFIXES, defaultNs: '', base: documentUrl, baseExplicit: false, lang: undefined };
}

function convert(node: FxpNode, scope: Scope): XmlNode | undefined {
  const attrs = (node[':@'] as Record<string, string> | undefined) ?? {};
  for (const key of Object.keys(node)) {
    if (key === ':@') continue;
    const value = node[key];
    if (key === '#text') return String(value);
    if (key === '#cdata') return (value as FxpNode[]).map((part) => String(part['#text'] ?? '')).join('');
    if (key.startsWith('?') || key.startsWith('!')) return undefined;
    return convertElement(key, attrs, value as FxpNode[], scope);
  }
  return undefined;
}

function convertElement(name: string, attrs: Record<string, string>, rawChildren: FxpNode[], outer: Scope): XmlElement {
  const { element, scope } = openElement(name, attrs, outer);
  for (const child of rawChildren) {
    const converted = convert(child, scope);
    if (converted === undefined) continue;
    element.children.push(converted);
    if (typeof converted !== 'string') element.elementChildren.push(converted);
  }
  return element;
}

/** An element with its namespace, base and language resolved, and empty child lists for the caller to fill. */
export function openElement(
  name: string,
  attrs: Record<string, string>,
  outer: Scope,
): { element: XmlElement; scope: Scope } {
  let prefixes = outer.prefixes;
  let defaultNs = outer.defaultNs;
  let scoped = false;
  for (const key in attrs) {
    // Only xmlns, xmlns:* and xml:* change what children inherit; most elements carry none of them.
    if (key.charCodeAt(0) !== 0x78 || !key.startsWith('xml')) continue;
    scoped = true;
    if (!key.startsWith('xmlns')) continue;
    const value = attrs[key] ?? '';
    if (key === 'xmlns') defaultNs = value.trim();
    else if (key.startsWith('xmlns:')) {
      // Chained, not copied: copying the map per declaring element is quadratic in declarations.
      if (prefixes === outer.prefixes) prefixes = Object.create(prefixes) as Record<string, string>;
      prefixes[key.slice(6)] = value.trim();
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const local = colon > 0 ? name.slice(colon + 1) : name;
  const ns = canonicalNs(
    prefix ? (prefixes[prefix] ?? WELL_KNOWN_PREFIXES[prefix.toLowerCase()] ?? `urn:undeclared:${prefix}`) : defaultNs,
  );
  if (!scoped) {
    // Nothing changes for the children: share the parent's scope rather than allocate one per element.
    const { base, baseExplicit, lang } = outer;
    return {
      element: { ns, local, name, attrs, children: [], elementChildren: [], base, baseExplicit, lang },
      scope: outer,
    };
  }
  const base = resolveBase(attrs['xml:base'], outer.base);
  const lang = attrs['xml:lang'] !== undefined ? attrs['xml:lang'] || undefined : outer.lang;
  const baseExplicit = outer.baseExplicit || attrs['xml:base'] !== undefined;
  const scope: Scope = { prefixes, defaultNs, base, baseExplicit, lang };
  return { element: { ns, local, name, attrs, children: [], elementChildren: [], base, baseExplicit, lang }, scope };
}

let lastNsIn = '';
let lastNsOut = '';

/** Namespace URIs written with the wrong case or a trailing slash still mean the same vocabulary. */
function canonicalNs(uri: string): string {
  // Consecutive elements nearly always share a namespace; remembering the last answer spares a lowercase copy each.
  if (uri === lastNsIn) return lastNsOut;
  lastNsIn = uri;
  lastNsOut = canonicalForm(uri);
  return lastNsOut;
}

function canonicalForm(uri: string): string {
  const lower = uri.toLowerCase();
  if (lower === NS.itunes.toLowerCase()) return NS.itunes;
  if (lower.startsWith('http://backend.userland.com/rss')) return NS.rss20;
  if (lower === 'http://www.w3.org/2005/atom/') return NS.atom10;
  return uri;
}

function resolveBase(xmlBase: string | undefined, parentBase: string | undefined): string | undefined {
  if (xmlBase === undefined) return parentBase;
  const resolved = resolveUrl(xmlBase.trim(), parentBase);
  // A base that is still relative (no document URL to anchor it) is no base at all.
  return resolved !== undefined && /^[a-z][a-z0-9+.-]*:/i.test(resolved) ? resolved : parentBase;
}

/** Resolve a reference; absolute references stand alone, relative ones need a base. */
export function resolveUrl(ref: string | undefined, base: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  const trimmed = ref.trim();
  if (trimmed === '') return base;
  try {
    return new URL(trimmed, base).href;
  } catch {
    return base === undefined ? trimmed : undefined;
  }
}

export function isElement(node: XmlNode | undefined): node is XmlElement {
  return typeof node === 'object' && node !== null;
}

export function elements(el: XmlElement): XmlElement[] {
  return el.elementChildren;
}

/** Concatenated text of an element and its descendants. */
export function textOf(el: XmlElement): string {
  let out = '';
  for (const child of el.children) out += typeof child === 'string' ? child : textOf(child);
  return out;
}

/** Attribute by local name, whatever prefix it was written with. */
export function attr(el: XmlElement, local: string): string | undefined {
  if (el.attrs[local] !== undefined) return el.attrs[local];
  for (const [key, value] of Object.entries(el.attrs)) {
    const at = key.indexOf(':');
    if (at > 0 && key.slice(at + 1) === local && !key.startsWith('xmlns')) return value;
  }
  return undefined;
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** Serialise children back to markup (for Atom `type="xhtml"` content), dropping the XHTML prefix. */
export function innerXml(el: XmlElement): string {
  return el.children.map(outerXml).join('');
}

function outerXml(node: XmlNode): string {
  if (typeof node === 'string') return escapeText(node);
  const name = node.ns === NS.xhtml ? node.local : node.name;
  const attrs = Object.entries(node.attrs)
    .filter(([key]) => key !== 'xmlns' && !key.startsWith('xmlns:') && !key.startsWith('xml:'))
    .map(([key, value]) => ` ${key}="${escapeText(value).replace(/"/g, '&quot;')}"`)
    .join('');
  if (node.children.length === 0 && VOID.has(name)) return `<${name}${attrs}>`;
  return `<${name}${attrs}>${innerXml(node)}</${name}>`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
