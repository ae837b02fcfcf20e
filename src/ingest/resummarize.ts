import type { Logger } from '../logger.js';
import type { ArticleStore } from '../store/ports.js';
import { derivedVersion as currentVersion, enrichDraft } from './enrich.js';

export interface ResummarizerDeps {
  articles: Pick<ArticleStore, 'staleDerived' | 'replaceDerived'>;
  log: Logger;
  /** The summariser's version; articles stored under another one are redone. */
  version?: string;
  batchSize?: number;
  /** Handed back to the event loop between batches, so commands and posts stay responsive. */
  pauseMs?: number;
}

export interface ResummarizeCounts {
  redone: number;
  failed: number;
}

/**
 * Recomputes summary and sources of articles stored under an older summariser, in bounded batches.
 * Only the derived fields change (replaceDerived): no content hash, updatedAt or outbox entry, so a
 * posted message is never edited because its summary improved. Resumable: what is done carries the
 * new version, so a restart goes on with what is left; an article that fails is skipped by id.
 */
export function createResummarizer(deps: ResummarizerDeps) {
  const version = deps.version ?? currentVersion;
  const batchSize = Math.max(1, deps.batchSize ?? 50);
  const pauseMs = deps.pauseMs ?? 20;
  let stopped = false;
  let running: Promise<ResummarizeCounts> | undefined;

  async function run(): Promise<ResummarizeCounts> {
    const counts: ResummarizeCounts = { redone: 0, failed: 0 };
    let after: string | undefined;
    while (!stopped) {
      const batch = await deps.articles.staleDerived(version, batchSize, after);
      if (batch.length === 0) break;
      for (const article of batch) {
        try {
          const feedTitle = article.origin.kind === 'feed' ? article.origin.feedTitle : undefined;
          const { summary, sources } = enrichDraft(article, { title: feedTitle, link: article.url });
          if (await deps.articles.replaceDerived(article.id, { summary, sources, derivedVersion: version })) {
            counts.redone++;
          }
        } catch (err) {
          counts.failed++;
          deps.log.warn({ err, article: article.id }, 're-summarising an article failed; left as it was');
        }
      }
      after = batch.at(-1)?.id;
      deps.log.info({ ...counts, version }, 're-summarising stored articles');
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
    if (counts.redone + counts.failed > 0) deps.log.info({ ...counts, version }, 'stored articles re-summarised');
    return counts;
  }

  return {
    /** Starts the job once; later calls return the same run. */
    start(): Promise<ResummarizeCounts> {
      running ??= run();
      return running;
    },
    /** Stops after the batch in hand. */
    async stop(): Promise<void> {
      stopped = true;
      await running?.catch(() => undefined);
    },
  };
}
