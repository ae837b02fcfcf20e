/**
 * The little of the DOM this module touches. The project compiles without the DOM lib (it is a
 * server), and linkedom's own types lean on it, so we name the members we use ourselves.
 */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  parentNode: DomNode | null;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
}

export interface DomElement extends DomNode {
  tagName: string;
  id: string;
  className: string;
  children: ArrayLike<DomElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  remove(): void;
}

export interface DomDocument extends DomNode {
  documentElement: DomElement | null;
  body: DomElement | null;
  title: string;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

export function isElement(node: DomNode): node is DomElement {
  return node.nodeType === ELEMENT_NODE;
}

/**
 * Elements whose content is never text a reader sees (noscript holds "enable JavaScript" notes and
 * duplicate images); JSON-LD scripts are kept for the metadata.
 */
const INERT_OPENING = /<(script|style|svg|template|noscript|!--)/gi;
const CLOSING: Record<string, RegExp> = {
  script: /<\/script/gi,
  style: /<\/style/gi,
  svg: /<\/svg/gi,
  template: /<\/template/gi,
  noscript: /<\/noscript/gi,
};

/**
 * Drops scripts, styles, inline SVG, templates, noscript and comments from the page source before it is parsed.
 * They are often most of a page's bytes and nodes, and every extractor step would walk them again.
 * Linear: fixed patterns and indexOf only. An unclosed one runs to the end of the page, as a browser reads it.
 */
export function stripInertMarkup(html: string): string {
  const parts: string[] = [];
  let kept = 0;
  INERT_OPENING.lastIndex = 0;
  for (let match = INERT_OPENING.exec(html); match; match = INERT_OPENING.exec(html)) {
    const start = match.index;
    const name = match[1]!.toLowerCase();
    let end: number;
    if (name === '!--') {
      const close = html.indexOf('-->', start + 4);
      end = close < 0 ? html.length : close + 3;
    } else {
      const next = html.charCodeAt(start + 1 + name.length);
      // "<scripts>" or "<svg-icon>" is another element: only the name followed by space, "/" or ">" counts.
      if (!(next === 62 || next === 47 || next <= 32)) continue;
      const openEnd = html.indexOf('>', start);
      if (openEnd < 0) break;
      const opening = html.slice(start, openEnd + 1).toLowerCase();
      const closing = CLOSING[name]!;
      closing.lastIndex = openEnd;
      if (name === 'script' && opening.includes('ld+json')) {
        const close = closing.exec(html);
        if (!close) break;
        INERT_OPENING.lastIndex = close.index + 8;
        continue;
      }
      if (name === 'svg' && opening.endsWith('/>')) {
        end = openEnd + 1;
      } else {
        const close = closing.exec(html);
        const closeEnd = close ? html.indexOf('>', close.index) : -1;
        end = closeEnd < 0 ? html.length : closeEnd + 1;
      }
    }
    parts.push(html.slice(kept, start));
    kept = end;
    INERT_OPENING.lastIndex = end;
  }
  if (kept === 0) return html;
  parts.push(html.slice(kept));
  return parts.join('');
}
