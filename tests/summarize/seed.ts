import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Article, ArticleDraft } from '../../src/domain/article.js';
import { parseArticleFile } from '../../src/ingest/parse-article-file.js';
import { extractSources } from '../../src/summarize/sources.js';
import { summarizeDraft } from '../../src/summarize/summarize.js';
import { projectRoot } from './corpus.js';

export const SEED_PATH = path.join(projectRoot, 'articles', '000_319d06ae78c2c892.txt');

export function seedText(): string {
  return readFileSync(SEED_PATH, 'utf8');
}

/** The seed as the real parser reads it. */
export function seedDraft(): ArticleDraft {
  return parseArticleFile({ path: SEED_PATH, bytes: readFileSync(SEED_PATH), timeZone: 'UTC' });
}

/** A stored-looking article built from a draft, the way ingest enriches it. */
export function articleFrom(draft: ArticleDraft, overrides: Partial<Article> = {}): Article {
  return {
    ...draft,
    id: 'seed01',
    summary: summarizeDraft(draft),
    sources: extractSources(draft),
    contentHash: 'hash-1',
    firstSeenAt: '2025-07-18T16:00:00.000Z',
    updatedAt: '2025-07-18T16:00:00.000Z',
    ...overrides,
  };
}

/** A hand-built draft for attribution and summary cases. */
export function draftOf(paragraphs: string[], extra: Partial<ArticleDraft> = {}): ArticleDraft {
  return {
    key: 'test',
    title: 'Test article',
    body: paragraphs.map((text) => ({ type: 'paragraph' as const, text })),
    images: [],
    origin: { kind: 'file', path: 'test.txt' },
    publishers: [],
    links: [],
    tags: [],
    ...extra,
  };
}
