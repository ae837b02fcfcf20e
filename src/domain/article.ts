import type { ArticleBasis } from './basis.js';

/** Where an article came from. */
export type ArticleOrigin = { kind: 'file'; path: string } | { kind: 'feed'; feedUrl: string; feedTitle?: string };

/** One block of an article body, in reading order. */
export type BodyBlock = { type: 'paragraph'; text: string } | { type: 'heading'; text: string };

/** An image that belongs to the article; its caption never counts as body text. */
export interface ArticleImage {
  caption: string;
  credit?: string;
  url?: string;
}

export type SourceKind = 'publisher' | 'image-credit' | 'cited' | 'quoted' | 'link';

export interface SourceEvidence {
  kind: SourceKind;
  /** The sentence or line that names the source, verbatim. */
  text: string;
}

/** Someone or something the article credits. A name appears once, with all of its evidence. */
export interface ArticleSource {
  name: string;
  /** A role or title given next to the name, e.g. "co-CEO". */
  role?: string;
  /** Distinct kinds, in the order they were first found. */
  kinds: SourceKind[];
  evidence: SourceEvidence[];
  url?: string;
}

/**
 * What a parser produces: the article as written, before it is summarised, attributed and stored.
 * `key` is the canonical dedup key (DESIGN.md, data flow step 4).
 */
export interface ArticleDraft {
  key: string;
  title: string;
  author?: string;
  /** ISO 8601 instant, or undefined when the article carries no date. */
  published?: string;
  body: BodyBlock[];
  images: ArticleImage[];
  url?: string;
  origin: ArticleOrigin;
  /** Publisher lines (`Source: Reuters`) found by the parser, in order. */
  publishers: string[];
  /** Links found in the text or front matter. */
  links: { url: string; text?: string }[];
  tags: string[];
  /** What the text is based on; absent on articles stored before it was recorded (read as `feed`). */
  basis?: ArticleBasis;
}

export interface ArticleSummary {
  /** Whole sentences, in article order. */
  sentences: string[];
  method: 'extractive' | 'lead' | 'llm';
}

/** An article as stored: a draft plus what ingest computes once. */
export interface Article extends ArticleDraft {
  /** Short, URL-safe, stable across restarts and re-ingests. */
  id: string;
  summary: ArticleSummary;
  sources: ArticleSource[];
  /** Hash of the draft; an unchanged hash means an unchanged article. */
  contentHash: string;
  firstSeenAt: string;
  updatedAt: string;
}

/** Paragraph text only (no headings, captions or publisher lines). */
export function bodyParagraphs(article: Pick<ArticleDraft, 'body'>): string[] {
  return article.body.filter((block) => block.type === 'paragraph').map((block) => block.text);
}

/** The date used for ordering: published if known, otherwise when we first saw it. */
export function sortDate(article: Pick<Article, 'published' | 'firstSeenAt'>): string {
  return article.published ?? article.firstSeenAt;
}
