import type { ArticleDraft, ArticleImage, BodyBlock } from '../../domain/article.js';
import { NewsdeskError } from '../../domain/errors.js';
import { fileArticleKey } from '../../domain/article-key.js';
import { parseByline, parseDateLine } from './byline.js';
import { splitBlocks, squash } from './decode-text.js';
import { findLinks } from './links.js';

const CREDIT = /^(.*?)[\s.]*\b(?:Source|Photo|Image|Credit|Photo credit|Image credit)\s*:\s*([^.:]{1,60})$/i;
const PUBLISHER = /^Sources?\s*:\s*(.+)$/i;
const MAX_TITLE = 300;

/** `Caption text. Source: Netflix` → the caption and its credit, when the credit is a short name. */
export function parseCaption(line: string): ArticleImage | undefined {
  const match = CREDIT.exec(line);
  if (!match) return undefined;
  const caption = squash(match[1] ?? '');
  const credit = squash(match[2] ?? '');
  if (!caption || !credit || credit.split(' ').length > 6) return undefined;
  return { caption: /[.!?]$/.test(caption) ? caption : `${caption}.`, credit };
}

/** Short, unpunctuated lines between paragraphs are subheadings ("Here's What We Know"). */
export function looksLikeHeading(text: string): boolean {
  if (/^#{1,6}\s/.test(text)) return true;
  const words = text.split(/\s+/);
  if (words.length > 12 || text.length > 100) return false;
  if (/^["“'‘(]/.test(text)) return false;
  if (/[.!;,:"”'’)]$/.test(text)) return false;
  if (text.endsWith('?')) return words.length <= 8;
  return true;
}

function splitPublishers(list: string): string[] {
  return list
    .split(/\s*(?:,|;|\band\b|&)\s*/)
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
}

/**
 * Body blocks in reading order → paragraphs and subheadings, with captions and trailing
 * `Source:` lines taken out. Shared by the text and markdown formats.
 */
export function readBodyBlocks(blocks: string[]): { body: BodyBlock[]; images: ArticleImage[]; publishers: string[] } {
  const rest = [...blocks];
  const publishers: string[] = [];
  const images: ArticleImage[] = [];
  const body: BodyBlock[] = [];
  while (rest.length > 0) {
    const match = PUBLISHER.exec(rest[rest.length - 1]!);
    if (!match?.[1]) break;
    publishers.unshift(...splitPublishers(match[1]));
    rest.pop();
  }
  for (const [index, block] of rest.entries()) {
    const caption = parseCaption(block);
    if (caption && block.length < 400) {
      images.push(caption);
    } else if (looksLikeHeading(block) && index + 1 < rest.length) {
      body.push({ type: 'heading', text: block.replace(/^#{1,6}\s+/, '') });
    } else {
      body.push({ type: 'paragraph', text: block });
    }
  }
  return { body, images, publishers };
}

/**
 * The plain-text format of the seed article: a title line, an optional byline and image caption,
 * blank-line separated paragraphs with short subheadings, and trailing `Source: X` lines.
 */
export function parseTextArticle(text: string, options: { path: string; timeZone: string }): ArticleDraft {
  const blocks = splitBlocks(text);
  const first = blocks[0];
  const title = first?.[0] ? squash(first[0].replace(/^#\s+/, '')) : '';
  if (!title) throw new NewsdeskError('bad_input', 'article has no title');
  if (title.length > MAX_TITLE)
    throw new NewsdeskError('bad_input', `article has no title (the first line is ${title.length} characters long)`);

  let author: string | undefined;
  let published: string | undefined;
  const images: ArticleImage[] = [];

  // Header lines follow the title until the first line that is not a byline, date or caption.
  const lines = blocks
    .flatMap((block, index) => block.map((line, at) => ({ line, block: index, first: at === 0 })))
    .slice(1);
  let cursor = 0;
  for (; cursor < lines.length; cursor += 1) {
    const { line } = lines[cursor]!;
    const byline = author === undefined ? parseByline(line, options.timeZone) : undefined;
    if (byline) {
      author = byline.author;
      published = byline.published ?? published;
      continue;
    }
    const date = published === undefined ? parseDateLine(line, options.timeZone) : undefined;
    if (date) {
      published = date;
      continue;
    }
    const caption = parseCaption(line);
    if (caption && cursor + 1 < lines.length) {
      images.push(caption);
      continue;
    }
    break;
  }

  // The rest, regrouped into blocks: lines of one block form one paragraph.
  const rest = new Map<number, string[]>();
  for (const { line, block } of lines.slice(cursor)) rest.set(block, [...(rest.get(block) ?? []), line]);
  const restBlocks = [...rest.values()].map((group) => squash(group.join(' ')));

  const content = readBodyBlocks(restBlocks);
  images.push(...content.images);
  const { body, publishers } = content;
  if (!body.some((block) => block.type === 'paragraph'))
    throw new NewsdeskError('bad_input', 'article has a title but no body');

  return {
    key: fileArticleKey({ title, published }),
    title,
    author,
    published,
    body,
    images,
    url: undefined,
    origin: { kind: 'file', path: options.path },
    publishers,
    links: findLinks(body.map((block) => block.text).join('\n')),
    tags: [],
  };
}
