import type { ArticleDraft } from '../../domain/article.js';
import type { Logger } from '../../logger.js';
import type { FullTextRetry, FullTextRetryStore } from '../../store/fulltext-retry-ports.js';
import type { FullTextResult } from './full-text-fetcher.js';

export interface RetryQueueOptions {
  store: FullTextRetryStore;
  log: Logger;
  /** Retries waiting at once, over all feeds; beyond it a failed teaser stays as it is. */
  maxPending?: number;
  /** Retries per page before giving up (the first fetch not counted). */
  maxAttempts?: number;
  /** Wait before the first retry; it doubles each time, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed retry is held before another replica (or this one after a crash) may take it. */
  leaseMs?: number;
  now?: () => number;
}

/** A feed's draft JSON is small (field caps); this guards the table against anything that is not. */
const MAX_DRAFT_CHARS = 512 * 1024;
const GIVEN_UP_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

export interface RetryQueue {
  /**
   * After a fetch of the draft's page: a failure that may pass is (re)scheduled with back-off, or
   * given up after `maxAttempts` with its reason kept; anything else forgets the retry.
   * `attempts` is how many retries were spent, this result's included (a host back-off skip spends none).
   */
  record(draft: ArticleDraft, feedHash: string, result: FullTextResult, attempts: number): Promise<void>;
  /** Claims up to `limit` due retries. */
  claim(limit: number): Promise<FullTextRetry[]>;
  forget(articleKey: string): Promise<void>;
  pending(): Promise<number>;
}

export function createRetryQueue(options: RetryQueueOptions): RetryQueue {
  const { store, log } = options;
  const now = options.now ?? Date.now;
  const maxPending = options.maxPending ?? 1_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 2 * 60_000;
  const maxDelayMs = options.maxDelayMs ?? 60 * 60_000;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  let fullSince: number | undefined;

  return {
    async record(draft, feedHash, result, attempts) {
      if (!result.transient || !draft.url) {
        // Only a page that was tried can end a retry; an item never fetched has no row to delete.
        const { fetched, failed, paywalled } = result.counts;
        if (attempts > 0 || fetched + failed + paywalled > 0) await store.clear(draft.key);
        return;
      }
      const reason = result.basis.kind === 'teaser' ? result.basis.reason : 'the page could not be read';
      // A page skipped while its host backs off was not tried: due when the host is, no attempt spent.
      const skipped = result.hostBackoffUntil;
      if (skipped === undefined && attempts >= maxAttempts) {
        await store.giveUp(draft.key, reason, attempts, iso(now()));
        log.info({ url: draft.url, attempts, reason }, 'full-text retries given up');
        return;
      }
      const json = JSON.stringify(draft);
      if (json.length > MAX_DRAFT_CHARS) {
        log.warn({ url: draft.url, chars: json.length }, 'feed item too large to keep for a full-text retry');
        return;
      }
      const at = skipped ?? now() + Math.min(maxDelayMs, baseDelayMs * 2 ** attempts);
      const retry = { articleKey: draft.key, url: draft.url, feedHash, draft: json, attempts, reason };
      const scheduled = await store.schedule({ ...retry, nextAt: iso(Math.max(at, now())) }, maxPending, iso(now()));
      if (scheduled) {
        fullSince = undefined;
      } else if (fullSince === undefined) {
        // Said once per spell of being full, not once per item.
        fullSince = now();
        log.warn({ url: draft.url, maxPending }, 'full-text retry queue is full; failed teasers stay as they are');
      }
    },
    async claim(limit) {
      await store.pruneGivenUp(iso(now() - GIVEN_UP_KEPT_MS));
      return store.claimDue(iso(now()), iso(now() + leaseMs), limit);
    },
    forget: (articleKey) => store.clear(articleKey),
    pending: () => store.countPending(),
  };
}
