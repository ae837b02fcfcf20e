import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { blocksToText, domToBlocks, type ExtractedBlock } from './blocks.js';
import type { DomDocument, DomElement } from './dom.js';
import { readMetadata } from './metadata.js';

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
}

/** Larger pages are cut here before parsing: the parse is linear, but memory is not free. */
export const MAX_HTML_CHARS = 3_000_000;

/**
 * The main content of an article page, with its metadata. Pure and synchronous; run it in the
 * extraction worker for untrusted pages (it is linear in the page but a page can be big).
 */
export function extractArticle(html: string, url?: string): ExtractedArticle {
  const { document } = parseHTML(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  const doc = document as unknown as DomDocument;
  const meta = readMetadata(doc, url);
  const reader = new Readability<DomElement>(document as never, { serializer: (node) => node as unknown as DomElement });
  const parsed = reader.parse();
  const blocks = parsed?.content ? domToBlocks(parsed.content, url) : [];
  const out: ExtractedArticle = { blocks, text: blocksToText(blocks), paywalled: meta.notFree };
  const title = parsed?.title || meta.title;
  if (title) out.title = title;
  const byline = meta.byline ?? (parsed?.byline || undefined);
  if (byline) out.byline = byline;
  if (meta.published) out.published = meta.published;
  if (meta.leadImage) out.leadImage = meta.leadImage;
  return out;
}
