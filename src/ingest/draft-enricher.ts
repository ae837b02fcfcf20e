import type { ArticleDraft } from '../domain/article.js';
import type { Logger } from '../logger.js';
import type { ArticleInput } from '../store/ports.js';
import { draftHash, enrichDraft, derivedVersion } from './enrich.js';
import { createParsePool, type ParsePool, type ParsePoolOptions } from './parse-pool.js';

/**
 * The same reasoning as MAIN_THREAD_MAX_BYTES for files: summarising and attributing 64 K characters
 * of news text takes a few milliseconds, less than a round trip to a worker; 256 K takes 100 ms and
 * more, and a hostile item far longer. A draft with more text than this is enriched in a worker.
 */
export const MAIN_THREAD_MAX_CHARS = 64 * 1024;

/** A feed item's worker time: a real item needs well under a second even on a loaded machine. */
const DRAFT_BUDGET_MS = 5_000;

/** Characters the summariser and the sources extractor read: title, body, captions, credits, links. */
export function draftTextChars(draft: ArticleDraft): number {
  let chars = draft.title.length + (draft.author?.length ?? 0);
  for (const block of draft.body) chars += block.text.length;
  for (const image of draft.images) chars += image.caption.length + (image.credit?.length ?? 0);
  for (const publisher of draft.publishers) chars += publisher.length;
  for (const link of draft.links) chars += link.url.length + (link.text?.length ?? 0);
  return chars;
}

export interface DraftEnricher {
  /**
   * `enrichDraft`, in a worker when the draft is large. Never rejects: when the worker fails or runs
   * over its budget the draft comes back without summary and sources (its text is kept), logged.
   */
  enrich(draft: ArticleDraft, feed?: { title?: string; link?: string }): Promise<ArticleInput>;
  /** Stops the worker, if one was started. */
  close(): Promise<void>;
}

export function createDraftEnricher(deps: {
  log: Logger;
  /** Starts the worker (tests watch which drafts go there). */
  createPool?: (options: ParsePoolOptions) => ParsePool;
}): DraftEnricher {
  // One worker, started by the first large draft and kept: feeds keep bringing them.
  let pool: ParsePool | undefined;
  const startPool = deps.createPool ?? createParsePool;
  return {
    async enrich(draft, feed) {
      if (draftTextChars(draft) <= MAIN_THREAD_MAX_CHARS) return enrichDraft(draft, feed);
      pool ??= startPool({ size: 1, budgetMs: DRAFT_BUDGET_MS });
      const outcome = await pool.parse(feed ? { kind: 'draft', draft, feed } : { kind: 'draft', draft });
      if (outcome.ok) return outcome.input;
      deps.log.warn(
        { key: draft.key, url: draft.url, chars: draftTextChars(draft), reason: outcome.reason },
        'feed item stored without summary or sources: summarising it failed',
      );
      return {
        ...draft,
        summary: { sentences: [], method: 'extractive' },
        sources: [],
        contentHash: draftHash(draft),
        derivedVersion,
      };
    },
    async close() {
      await pool?.close();
      pool = undefined;
    },
  };
}
