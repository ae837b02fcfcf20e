import type { ArticleDraft } from '../../domain/article.js';
import type { Logger } from '../../logger.js';
import type { Article } from '../../domain/article.js';
import { draftHash } from '../enrich.js';
import type { FullTextCounts, FullTextFetcher } from './full-text-fetcher.js';
import type { FullTextPolicy } from './teaser.js';

/**
 * Where a feed's own full-text policy comes from (the tenancy work keeps it per feed link).
 * Until that lands on main, the wiring passes none and every feed takes the operator's default.
 */
export interface FullTextPolicyPort {
  /** The feed's `fulltext` setting; undefined for the operator's default. */
  policyFor(feedUrl: string): Promise<FullTextPolicy | undefined>;
}

export type StoreStatus = 'new' | 'updated' | 'unchanged';

export interface FeedItemFullTextDeps {
  fullText: FullTextFetcher;
  /** The stored article under a key, to skip pages of items that did not change. */
  getByKey(key: string): Promise<Article | undefined>;
  /** Stores (and announces when asked) one draft whose content hash is given. */
  store(draft: ArticleDraft, contentHash: string, announce: boolean): Promise<StoreStatus>;
  policies?: FullTextPolicyPort;
  /**
   * How long a teaser waits for its page before it is stored (and posted) with what it has; the page's
   * text then arrives as an update, which the ON_UPDATE rules edit in. Infinity waits for the page.
   */
  waitMs: number;
  log: Logger;
}

const STILL_FETCHING = 'the full article is still being fetched';

/**
 * The feed's item drives the hash, plus the basis kind: an item the feed did not change is never
 * fetched again, and the page's text arriving after a teaser was stored counts as an update.
 */
function hashFor(feedHash: string, draft: ArticleDraft): string {
  return `${feedHash}:${draft.basis?.kind ?? 'feed'}`;
}

/** Full text for feed items between the poller and the store: fetch teasers' pages, within a bounded wait. */
export function createFeedItemFullText(deps: FeedItemFullTextDeps) {
  const totals: FullTextCounts = { fetched: 0, failed: 0, paywalled: 0 };
  const late = new Set<Promise<void>>();

  function add(counts: FullTextCounts): void {
    totals.fetched += counts.fetched;
    totals.failed += counts.failed;
    totals.paywalled += counts.paywalled;
  }

  async function ingest(draft: ArticleDraft, options: { announce: boolean }): Promise<StoreStatus> {
    const feedHash = draftHash(draft);
    const existing = await deps.getByKey(draft.key);
    if (existing?.contentHash.startsWith(`${feedHash}:`)) return 'unchanged';
    const feedUrl = draft.origin.kind === 'feed' ? draft.origin.feedUrl : undefined;
    const policy = feedUrl ? await deps.policies?.policyFor(feedUrl) : undefined;
    const enriched = deps.fullText.enrich(draft, policy ? { policy } : {}).then((result) => {
      add(result.counts);
      return result;
    });
    if (!Number.isFinite(deps.waitMs)) {
      const { draft: full } = await enriched;
      return deps.store(full, hashFor(feedHash, full), options.announce);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deps.waitMs);
      timer.unref();
    });
    const first = await Promise.race([enriched, timeout]);
    clearTimeout(timer);
    if (first !== 'late') return deps.store(first.draft, hashFor(feedHash, first.draft), options.announce);
    // Post with the teaser now; the page's text follows as an update of the same article.
    const waiting: ArticleDraft = { ...draft, basis: { kind: 'teaser', reason: STILL_FETCHING } };
    const status = await deps.store(waiting, hashFor(feedHash, waiting), options.announce);
    const job: Promise<void> = enriched
      .then(async ({ draft: full }) => {
        await deps.store(full, hashFor(feedHash, full), options.announce);
      })
      .catch((err: unknown) => deps.log.warn({ err, url: draft.url }, 'late full text not stored'))
      .finally(() => late.delete(job));
    late.add(job);
    return status;
  }

  return {
    ingest,
    /** Fetched, failed and paywalled pages since start (the `news ingest` counts are a difference). */
    counts: (): FullTextCounts => ({ ...totals }),
    /** Waits for pages that arrived after their item was stored (stop, tests). */
    async idle(): Promise<void> {
      while (late.size > 0) await Promise.all([...late]);
    },
  };
}
