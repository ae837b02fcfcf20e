import { boilerplateKind } from './boilerplate.js';
import { type DomDocument, type DomElement, type DomNode, ELEMENT_NODE, TEXT_NODE } from './dom.js';
import { isWallElement } from './paywall.js';

/** What one walk over the parsed page collects for the metadata, the paywall test and the pruning. */
export interface PageScan {
  /** The first `<meta>` of each `property`, `name` or `itemprop` value, keyed `name=author`, with its content. */
  metas: Map<string, string>;
  /** JSON-LD script texts, in page order (at most 20). */
  jsonLd: string[];
  firstH1?: DomElement;
  /** The first `rel="author"` or `itemprop="author"` element. */
  firstAuthor?: DomElement;
  firstDatetime?: string;
  title?: string;
  /** A paywall vendor's or site's wall element is somewhere on the page. */
  wallMarkup: boolean;
  /** Boilerplate containers to remove before scoring (nested ones included). */
  boilerplate: DomElement[];
  /** Characters of text in the body. */
  bodyText: number;
  elements: number;
}

const MAX_CANDIDATES = 2_000;
const WRAPPER_SHARE = 0.35;
const MAX_JSON_LD = 20;
const META_KEYS = ['property', 'name', 'itemprop'] as const;

interface Frame {
  element: DomElement;
  comments: boolean;
  text: number;
  articles: number;
}

/**
 * One pass over the page in document order, instead of a query per selector (each a whole-tree walk
 * in linkedom). Iterative, so a deeply nested hostile page cannot overflow the stack.
 */
export function scanPage(doc: DomDocument): PageScan {
  const scan: PageScan = { metas: new Map(), jsonLd: [], wallMarkup: false, boilerplate: [], bodyText: 0, elements: 0 };
  const root = doc.documentElement;
  if (!root) return scan;
  let text = 0;
  let articles = 0;
  let bodyStart = -1;
  const open: Frame[] = [];
  const found: { element: DomElement; comments: boolean; length: number }[] = [];

  const enter = (node: DomNode) => {
    if (node.nodeType === TEXT_NODE) {
      text += (node.textContent ?? '').length;
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const element = node as DomElement;
    scan.elements++;
    const tag = element.nodeName;
    if (tag === 'BODY') bodyStart = text;
    else if (tag === 'META') readMeta(element, scan.metas);
    else if (tag === 'SCRIPT') {
      if (scan.jsonLd.length < MAX_JSON_LD && /ld\+json/i.test(element.getAttribute('type') ?? '')) {
        scan.jsonLd.push(element.textContent ?? '');
      }
    } else if (tag === 'TITLE') scan.title ??= element.textContent ?? '';
    else if (tag === 'H1') scan.firstH1 ??= element;
    else if (tag === 'TIME') scan.firstDatetime ??= element.getAttribute('datetime') ?? undefined;
    const itemprop = element.getAttribute('itemprop');
    if (!scan.firstAuthor && (itemprop === 'author' || element.getAttribute('rel') === 'author')) {
      scan.firstAuthor = element;
    }
    if (!scan.wallMarkup && isWallElement(element)) scan.wallMarkup = true;
    const kind = bodyStart >= 0 && found.length + open.length < MAX_CANDIDATES ? boilerplateKind(element) : undefined;
    if (kind) open.push({ element, comments: kind === 'comments', text, articles });
    if (tag === 'ARTICLE' || itemprop === 'articleBody' || (tag === 'H1' && scan.firstH1 === element)) articles++;
  };

  const exit = (node: DomNode) => {
    const frame = open[open.length - 1];
    if (frame?.element === node) {
      open.pop();
      // A wrapper around the headline or the article body is mis-named, not boilerplate.
      if (articles === frame.articles) found.push({ ...frame, length: text - frame.text });
    } else if (node.nodeName === 'BODY' && bodyStart >= 0) {
      scan.bodyText = text - bodyStart;
    }
  };

  let node: DomNode | null = root;
  while (node) {
    enter(node);
    const child: DomNode | null = node.nodeType === ELEMENT_NODE ? node.firstChild : null;
    if (child) {
      node = child;
      continue;
    }
    while (node) {
      exit(node);
      if (node === root) {
        node = null;
        break;
      }
      const next: DomNode | null = node.nextSibling;
      if (next) {
        node = next;
        break;
      }
      node = node.parentNode;
    }
  }
  // A container holding a big share of the page is a mis-named wrapper, unless it is a comment thread
  // (on a short post the thread can be most of the page).
  for (const { element, comments, length } of found) {
    if (comments || length < WRAPPER_SHARE * scan.bodyText) scan.boilerplate.push(element);
  }
  return scan;
}

function readMeta(element: DomElement, metas: Map<string, string>): void {
  for (const key of META_KEYS) {
    const value = element.getAttribute(key);
    if (value === null) continue;
    const id = `${key}=${value}`;
    if (!metas.has(id)) metas.set(id, element.getAttribute('content') ?? '');
  }
}
