import { createHash } from 'node:crypto';
import type { ArticleDraft } from '../../domain/article.js';
import type { Logger } from '../../logger.js';
import type { Article } from '../../domain/article.js';
import type { FullTextRetry } from '../../store/fulltext-retry-ports.js';
import { draftHash } from '../enrich.js';
import type { FullTextCounts, FullTextFetcher, FullTextResult } from './full-text-fetcher.js';
import type { RetryQueue } from './full-text-retries.js';
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
  /** Where failed pages wait to be fetched again; without it a failure stays until the item changes. */
  retries?: RetryQueue;
  /** Told how many retries wait, after each pass. */
  onPending?: (count: number) => void;
  /** How often `startRetries` looks for due retries; default a minute. */
  retryEveryMs?: number;
}

const STILL_FETCHING = 'the full article is still being fetched';

/** Due retries taken per pass; the page gate still spaces their fetches. */
const RETRY_BATCH = 20;

/**
 * The feed's item drives the hash, plus the basis: an item the feed did not change is never fetched
 * again, and the page's text arriving after a teaser was stored counts as an update. A teaser's
 * reason is part of it, so "still being fetched" is replaced by what became of the fetch.
 */
function hashFor(feedHash: string, draft: ArticleDraft): string {
  const basis = draft.basis;
  if (basis?.kind !== 'teaser') return `${feedHash}:${basis?.kind ?? 'feed'}`;
  return `${feedHash}:teaser:${createHash('sha256').update(basis.reason).digest('hex').slice(0, 8)}`;
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

  /** Stores what the page gave, then schedules, reschedules or forgets the page's retry. */
  async function settle(
    feedDraft: ArticleDraft,
    feedHash: string,
    result: FullTextResult,
    announce: boolean,
    attempts: number,
  ): Promise<StoreStatus> {
    // A retry that failed again leaves the stored teaser (and its first reason) alone: no edit per try.
    const again = attempts > 0 && result.basis.kind === 'teaser';
    const status = again ? 'unchanged' : await deps.store(result.draft, hashFor(feedHash, result.draft), announce);
    await deps.retries?.record(feedDraft, feedHash, result, attempts);
    return status;
  }

  async function policyOf(draft: ArticleDraft) {
    const feedUrl = draft.origin.kind === 'feed' ? draft.origin.feedUrl : undefined;
    return feedUrl ? await deps.policies?.policyFor(feedUrl) : undefined;
  }

  /** One due retry: fetched again unless the feed changed the item since (its own fetch took over). */
  async function retryOne(retry: FullTextRetry): Promise<void> {
    const existing = await deps.getByKey(retry.articleKey);
    let draft: ArticleDraft | undefined;
    try {
      draft = JSON.parse(retry.draft) as ArticleDraft;
    } catch {
      draft = undefined;
    }
    if (!draft || !existing?.contentHash.startsWith(`${retry.feedHash}:`) || existing.basis?.kind !== 'teaser') {
      await deps.retries?.forget(retry.articleKey);
      return;
    }
    const policy = await policyOf(draft);
    if (policy === 'never') {
      await deps.retries?.forget(retry.articleKey);
      return;
    }
    const result = await deps.fullText.enrich(draft, policy ? { policy } : {});
    add(result.counts);
    // Announce is for new articles; this one is stored, so the page arrives as an update (ON_UPDATE).
    const spent = result.hostBackoffUntil === undefined ? 1 : 0;
    await settle(draft, retry.feedHash, result, false, retry.attempts + spent);
  }

  let retryTimer: NodeJS.Timeout | undefined;
  let retrying: Promise<number> | undefined;

  /** Fetches the due retries' pages again (all at once; the page gate keeps it polite). */
  function retryDue(): Promise<number> {
    const queue = deps.retries;
    if (!queue) return Promise.resolve(0);
    retrying ??= (async () => {
      try {
        const due = await queue.claim(RETRY_BATCH);
        await Promise.all(
          due.map((retry) =>
            retryOne(retry).catch((err: unknown) =>
              deps.log.warn({ err, url: retry.url }, 'full-text retry failed; it comes due again later'),
            ),
          ),
        );
        deps.onPending?.(await queue.pending());
        return due.length;
      } finally {
        retrying = undefined;
      }
    })();
    return retrying;
  }

  async function ingest(draft: ArticleDraft, options: { announce: boolean }): Promise<StoreStatus> {
    const feedHash = draftHash(draft);
    const existing = await deps.getByKey(draft.key);
    if (existing?.contentHash.startsWith(`${feedHash}:`)) return 'unchanged';
    const policy = await policyOf(draft);
    const enriched = deps.fullText.enrich(draft, policy ? { policy } : {}).then((result) => {
      add(result.counts);
      return result;
    });
    if (!Number.isFinite(deps.waitMs)) return settle(draft, feedHash, await enriched, options.announce, 0);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), deps.waitMs);
      timer.unref();
    });
    const first = await Promise.race([enriched, timeout]);
    clearTimeout(timer);
    if (first !== 'late') return settle(draft, feedHash, first, options.announce, 0);
    // Post with the teaser now; the page's text follows as an update of the same article.
    const waiting: ArticleDraft = { ...draft, basis: { kind: 'teaser', reason: STILL_FETCHING } };
    const status = await deps.store(waiting, hashFor(feedHash, waiting), options.announce);
    const job: Promise<void> = enriched
      .then(async (result) => {
        await settle(draft, feedHash, result, options.announce, 0);
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
    retryDue,
    /** Fetches due retries on a timer (the bot; the one-shot CLI leaves them to it). */
    startRetries(): void {
      const everyMs = deps.retryEveryMs ?? 60_000;
      if (retryTimer || !deps.retries) return;
      const tick = () => void retryDue().catch((err: unknown) => deps.log.warn({ err }, 'full-text retry pass failed'));
      retryTimer = setInterval(tick, everyMs);
      retryTimer.unref();
      tick();
    },
    /** Waits for pages that arrived after their item was stored (stop, tests). */
    async idle(): Promise<void> {
      while (late.size > 0) await Promise.all([...late]);
    },
    /** Stops the retry timer and waits for a pass under way. */
    async stopRetries(): Promise<void> {
      if (retryTimer) clearInterval(retryTimer);
      retryTimer = undefined;
      await retrying?.catch(() => undefined);
    },
  };
}
