import { createHash } from 'node:crypto';
import type { ArticleDraft } from '../domain/article.js';
import type { ArticleInput } from '../store/ports.js';
import { extractSources } from '../summarize/sources.js';
import { summarizeDraft } from '../summarize/summarize.js';
import { summarizerVersion } from '../summarize/version.js';

/** Stored beside each article, so a newer summariser knows what to redo. */
export const derivedVersion = String(summarizerVersion);

/** Stored summaries fit the smallest place they are shown whole: a Slack section. */
export const STORED_SUMMARY_MAX_CHARS = 3_000;

/** Hash of what the parser produced; equal hashes mean nothing a reader would see changed. */
export function draftHash(draft: ArticleDraft): string {
  const { origin: _origin, ...content } = draft;
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 32);
}

/** Everything computed once per article at ingest: summary, sources and content hash. */
export function enrichDraft(draft: ArticleDraft, feed?: { title?: string; link?: string }): ArticleInput {
  return {
    ...draft,
    summary: summarizeDraft(draft, { sentences: 3, maxChars: STORED_SUMMARY_MAX_CHARS }),
    sources: extractSources(draft, feed),
    contentHash: draftHash(draft),
    derivedVersion,
  };
}
