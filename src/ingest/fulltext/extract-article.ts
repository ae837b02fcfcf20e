import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { blocksToText, collapse, domToBlocks, type ExtractedBlock } from './blocks.js';
import {
  dropLinkBlocks,
  LINK_BLOCK_RULE,
  type LinkBlockRule,
  pruneBoilerplate,
  trimBoilerplateBlocks,
} from './boilerplate.js';
import { type DomDocument, type DomElement, stripInertMarkup } from './dom.js';
import { readMetadata } from './metadata.js';
import { scanPage } from './page-scan.js';
import { judgePaywall } from './paywall.js';

export interface ExtractedArticle {
  title?: string;
  byline?: string;
  /** ISO 8601 instant. */
  published?: string;
  /** https only. */
  leadImage?: string;
  blocks: ExtractedBlock[];
  /** Main content as plain text: blocks separated by blank lines. */
  text: string;
  paywalled: boolean;
  /** Why it counts as paywalled, in words for the basis line. */
  paywallReason?: string;
}

/** For the benchmark's cross-validation only: the defaults are the chosen values. */
export interface ExtractTuning {
  linkBlocks?: LinkBlockRule;
}

/** Larger pages are cut here before parsing: the parse is linear, but memory is not free. */
export const MAX_HTML_CHARS = 3_000_000;

const capped = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

/**
 * The main content of an article page, with its metadata. Pure and synchronous; run it in the
 * extraction worker for untrusted pages (it is linear in the page but a page can be big).
 */
export function extractArticle(html: string, url?: string, tuning: ExtractTuning = {}): ExtractedArticle {
  const source = capped(stripInertMarkup(capped(html, 2 * MAX_HTML_CHARS)), MAX_HTML_CHARS);
  const document = parsePage(source);
  const scan = scanPage(document as unknown as DomDocument);
  const meta = readMetadata(scan, url);
  const wallMarkup = scan.wallMarkup;
  pruneBoilerplate(scan);
  // The serializer hands back the content element itself: no HTML string to re-parse.
  const serializer = (node: unknown) => node as DomElement;
  // keepClasses: class attributes are never read after this, and stripping them is a walk of its own.
  const reader = new Readability<DomElement>(document as never, { serializer, keepClasses: true });
  const parsed = reader.parse();
  let blocks = parsed?.content ? domToBlocks(parsed.content, url) : [];
  if (blocksToText(blocks).length < FALLBACK_BELOW_CHARS) {
    const fallback = fallbackBlocks(source, url, meta.articleBody);
    if (blocksToText(fallback).length > blocksToText(blocks).length) blocks = fallback;
  }
  blocks = dropTitleHeading(trimBoilerplateBlocks(blocks), parsed?.title || meta.title);
  blocks = dropLinkBlocks(blocks, tuning.linkBlocks ?? LINK_BLOCK_RULE);
  const text = blocksToText(blocks);
  const wall = judgePaywall({ notFree: meta.notFree, wallMarkup, text });
  const out: ExtractedArticle = { blocks, text, paywalled: wall.paywalled };
  if (wall.reason) out.paywallReason = wall.reason;
  const title = parsed?.title || meta.title;
  if (title) out.title = title;
  const byline = meta.byline ?? (parsed?.byline || undefined);
  if (byline) out.byline = byline;
  if (meta.published) out.published = meta.published;
  if (meta.leadImage) out.leadImage = meta.leadImage;
  return out;
}

/** Below this much text Readability most likely missed the article (it gives up on short pages). */
const FALLBACK_BELOW_CHARS = 300;

/**
 * When Readability finds nothing: JSON-LD articleBody, else the page's main landmark, else every
 * text block of the body that is long enough and not mostly links.
 */
function fallbackBlocks(html: string, url: string | undefined, articleBody: string | undefined): ExtractedBlock[] {
  if (articleBody && articleBody.length >= FALLBACK_BELOW_CHARS) {
    const paragraphs = articleBody
      .split(/\n\s*\n|\r?\n/)
      .map(collapse)
      .filter(Boolean);
    return paragraphs.map((text) => ({ type: 'paragraph', text, links: [] }));
  }
  const doc = parsePage(html) as unknown as DomDocument;
  pruneBoilerplate(scanPage(doc));
  for (const selector of ['header', '[class*="menu"]', '[id*="menu"]', '[class*="sidebar"]', '[id*="sidebar"]']) {
    const found = doc.querySelectorAll(selector);
    for (let i = found.length - 1; i >= 0; i--) found[i]!.remove();
  }
  const landmark = doc.querySelector('main, [role="main"], article, [itemprop="articleBody"]');
  const root = landmark ?? doc.body;
  if (!root) return [];
  return domToBlocks(root, url).filter((block) => {
    const linked = block.links.reduce((sum, link) => sum + link.text.length, 0);
    return block.text.length >= (landmark ? 20 : 60) && linked < 0.5 * block.text.length;
  });
}

/** The title is shown on its own; repeated as the first block it would be counted twice. */
function dropTitleHeading(blocks: ExtractedBlock[], title: string | null | undefined): ExtractedBlock[] {
  const first = blocks[0];
  if (!first || !title || first.type !== 'heading') return blocks;
  const norm = (text: string) => collapse(text).toLowerCase();
  return norm(first.text) === norm(title) || norm(title).startsWith(norm(first.text)) ? blocks.slice(1) : blocks;
}

/**
 * linkedom makes the first element the document element: a fragment, plain text, or a page with a
 * `<style>` or `<title>` before its `<html>` gets no body. Such input is wrapped as a body.
 */
function parsePage(html: string): ReturnType<typeof parseHTML>['document'] {
  const { document } = parseHTML(html);
  if (document.documentElement?.nodeName === 'HTML' && document.body) return document;
  return parseHTML(`<!doctype html><html><head></head><body>${html}</body></html>`).document;
}
