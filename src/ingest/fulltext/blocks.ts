import { type DomElement, type DomNode, isElement, TEXT_NODE } from './dom.js';

export interface BlockLink {
  url: string;
  text: string;
}

/** One block of extracted main content, richer than the domain's BodyBlock (quotes and lists kept). */
export type ExtractedBlock =
  | { type: 'paragraph' | 'heading' | 'quote'; text: string; links: BlockLink[] }
  | { type: 'list'; items: string[]; text: string; links: BlockLink[] };

const SKIP = new Set([
  'SCRIPT',
  'STYLE',
  'NOSCRIPT',
  'TEMPLATE',
  'SVG',
  'IFRAME',
  'OBJECT',
  'EMBED',
  'CANVAS',
  'BUTTON',
  'SELECT',
  'TEXTAREA',
  'INPUT',
  'FORM',
  'NAV',
  'FIGCAPTION',
  'HEAD',
  'TITLE',
  'META',
  'LINK',
  'MATH',
]);
const BLOCK = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'FOOTER',
  'ASIDE',
  'FIGURE',
  'PRE',
  'TABLE',
  'TBODY',
  'THEAD',
  'TFOOT',
  'TR',
  'DL',
  'DT',
  'DD',
  'ADDRESS',
  'DETAILS',
  'SUMMARY',
  'HR',
  'CENTER',
  'BODY',
  'HTML',
]);
const CELL = new Set(['TD', 'TH']);
const HEADING = /^H[1-6]$/;

/** Caps keep a hostile page from producing unbounded output. */
const MAX_BLOCKS = 2_000;
const MAX_LINKS_PER_BLOCK = 50;

/**
 * Walks a content element in reading order and cuts it into blocks: every block-level element ends
 * the current run of inline text. Links are kept per block, resolved against `baseUrl`, http(s) only.
 */
export function domToBlocks(root: DomNode, baseUrl: string | undefined): ExtractedBlock[] {
  const blocks: ExtractedBlock[] = [];
  let buffer = '';
  let links: BlockLink[] = [];
  let list: { items: string[]; links: BlockLink[] } | undefined;
  let quoteDepth = 0;
  let headingDepth = 0;

  const flush = () => {
    const text = collapse(buffer);
    buffer = '';
    if (!text) {
      links = [];
      return;
    }
    if (list) {
      list.items.push(text);
      list.links.push(...links);
    } else if (blocks.length < MAX_BLOCKS) {
      const type = headingDepth > 0 ? 'heading' : quoteDepth > 0 ? 'quote' : 'paragraph';
      blocks.push({ type, text, links });
    }
    links = [];
  };

  const walk = (node: DomNode) => {
    if (node.nodeType === TEXT_NODE) {
      buffer += node.textContent ?? '';
      return;
    }
    if (!isElement(node)) return;
    const tag = node.nodeName.toUpperCase();
    if (SKIP.has(tag) || node.getAttribute('hidden') !== null || node.getAttribute('aria-hidden') === 'true') return;
    if (tag === 'BR') {
      buffer += '\n';
      return;
    }
    if (tag === 'IMG') return;
    if (tag === 'A') return walkLink(node);
    if (tag === 'UL' || tag === 'OL') return walkList(node);
    if (tag === 'LI') return walkBlock(node);
    if (tag === 'BLOCKQUOTE') {
      flush();
      quoteDepth++;
      walkChildren(node);
      flush();
      quoteDepth--;
      return;
    }
    if (HEADING.test(tag)) {
      flush();
      headingDepth++;
      walkChildren(node);
      flush();
      headingDepth--;
      return;
    }
    if (CELL.has(tag)) {
      buffer += ' ';
      walkChildren(node);
      buffer += ' ';
      return;
    }
    if (BLOCK.has(tag)) return walkBlock(node);
    walkChildren(node);
  };

  const walkChildren = (node: DomNode) => {
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) walk(children[i]!);
  };

  const walkBlock = (node: DomNode) => {
    flush();
    walkChildren(node);
    flush();
  };

  const walkLink = (node: DomElement) => {
    const start = buffer.length;
    walkChildren(node);
    const url = absoluteHttp(node.getAttribute('href'), baseUrl);
    const text = collapse(buffer.slice(start));
    if (url && links.length < MAX_LINKS_PER_BLOCK) links.push({ url, text });
  };

  const walkList = (node: DomElement) => {
    flush();
    if (list) return walkChildren(node); // a nested list joins its parent's items
    const own = { items: [] as string[], links: [] as BlockLink[] };
    list = own;
    walkChildren(node);
    flush();
    list = undefined;
    if (own.items.length > 0 && blocks.length < MAX_BLOCKS) {
      blocks.push({ type: 'list', items: own.items, text: own.items.join('\n'), links: own.links });
    }
  };

  walk(root);
  flush();
  return blocks;
}

/** Plain text: blocks separated by blank lines, list items one per line. */
export function blocksToText(blocks: ExtractedBlock[]): string {
  return blocks.map((block) => block.text).join('\n\n');
}

export function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function absoluteHttp(href: string | null | undefined, baseUrl: string | undefined): string | undefined {
  if (!href) return undefined;
  try {
    const url = new URL(href.trim(), baseUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
