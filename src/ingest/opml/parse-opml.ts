import { decodeHTMLStrict } from 'entities';
import { XMLParser } from 'fast-xml-parser';

/** One feed named by an OPML document. */
export interface OpmlFeed {
  url: string;
  title?: string;
  /** The site the feed belongs to, when the document says. */
  htmlUrl?: string;
  /** Titles of the folders (outer outlines) it sits in, outermost first. */
  folders: string[];
}

export interface OpmlDocument {
  title?: string;
  feeds: OpmlFeed[];
  /** Outlines that looked like feeds but could not be used, with why. */
  skipped: { text: string; reason: string }[];
}

/** Enough for any real subscription list; a bigger document is refused rather than walked. */
export const OPML_MAX_OUTLINES = 5_000;
export const OPML_MAX_BYTES = 1_048_576;
const OPML_MAX_DEPTH = 32;

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: true,
  isArray: (name) => name === 'outline',
});

function asNode(value: unknown): Node | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

/** Attribute by name, case-insensitively: exporters write `xmlUrl`, `xmlurl` and `XMLURL`. */
function attr(node: Node, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(node)) {
    if (key.toLowerCase() === wanted && typeof value === 'string') {
      // The parser knows XML's five entities only; exporters also write HTML ones (`&eacute;`), sometimes escaped twice.
      const text = decodeHTMLStrict(value).trim();
      return text === '' ? undefined : text;
    }
  }
  return undefined;
}

function outlinesOf(node: Node): Node[] {
  const children = node.outline;
  return Array.isArray(children) ? children.map(asNode).filter((child): child is Node => child !== undefined) : [];
}

function feedUrlOf(outline: Node): string | undefined {
  // `xmlUrl` is the spec's; some tools write `url` (OPML 2.0 "link" outlines) or `htmlUrl` only.
  return attr(outline, 'xmlUrl') ?? (attr(outline, 'type') === 'link' ? undefined : attr(outline, 'url'));
}

function usableUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the feed list out of an OPML document (any version). Folders nest; a feed listed twice is
 * kept once. Throws only when the text is not an OPML document at all.
 */
export function parseOpml(text: string): OpmlDocument {
  if (text.length > OPML_MAX_BYTES) throw new Error(`too large (more than ${OPML_MAX_BYTES} bytes)`);
  // Declared entities are how "billion laughs" documents expand; no feed list needs them.
  if (text.includes('<!ENTITY')) throw new Error('not an OPML document: it declares entities');
  let root: Node | undefined;
  try {
    root = asNode(asNode(parser.parse(text))?.opml);
  } catch (err) {
    throw new Error(`not an OPML document: ${(err as Error).message}`);
  }
  const body = root && asNode(root.body);
  if (!root || !body) throw new Error('not an OPML document: no <opml><body>');
  const document: OpmlDocument = { title: attrText(asNode(root.head)?.title), feeds: [], skipped: [] };
  const seen = new Set<string>();
  let visited = 0;
  const walk = (outlines: Node[], folders: string[]): void => {
    for (const outline of outlines) {
      visited += 1;
      if (visited > OPML_MAX_OUTLINES) throw new Error(`too many outlines (more than ${OPML_MAX_OUTLINES})`);
      const name = attr(outline, 'title') ?? attr(outline, 'text');
      const raw = feedUrlOf(outline);
      if (raw) {
        const url = usableUrl(raw);
        if (!url) document.skipped.push({ text: name ?? raw, reason: `not an http(s) URL: ${raw.slice(0, 200)}` });
        else if (!seen.has(url)) {
          seen.add(url);
          document.feeds.push({ url, title: name, htmlUrl: attr(outline, 'htmlUrl'), folders });
        }
      }
      const children = outlinesOf(outline);
      if (children.length > 0 && folders.length < OPML_MAX_DEPTH)
        walk(children, raw ? folders : [...folders, name ?? '']);
    }
  };
  walk(outlinesOf(body), []);
  return document;
}

function attrText(value: unknown): string | undefined {
  const text = typeof value === 'string' ? value : asNode(value)?.['#text'];
  return typeof text === 'string' && text.trim() !== '' ? decodeHTMLStrict(text).trim() : undefined;
}
