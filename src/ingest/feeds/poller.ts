import type { ArticleDraft } from '../../domain/article.js';
import { isNewsdeskError } from '../../domain/errors.js';
import type { Logger } from '../../logger.js';
import type { FeedRecord, FeedStore } from '../../store/feed-ports.js';
import { createFeedParser, type FeedParser } from './feed-parser.js';
import { createFeedFetcher, type FeedFetcher } from './fetch-feed.js';
import { runInLanes } from './item-lanes.js';
import type { PreparedFeed } from './prepare-feed.js';

export type IngestStatus = 'new' | 'updated' | 'unchanged';
/** Provided by the lead: enrich + upsert + enqueue deliveries when `announce`. */
export type IngestDraft = (draft: ArticleDraft, opts: { announce: boolean }) => Promise<IngestStatus>;

export interface PollCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface PollResult extends PollCounts {
  url: string;
  status: 'ok' | 'not_modified' | 'error' | 'disabled';
  /** True when this was the feed's first successful poll (items recorded, none announced). */
  firstPoll: boolean;
  error?: string;
  /** A successful poll that still needs a look (ids that churn), also kept as the feed's last error. */
  warning?: string;
  /** Items the feed carried beyond the per-poll cap, left out (the newest are taken). */
  dropped?: number;
  /** The URL was refused (a private or reserved address, a scheme other than http/https). */
  refused?: boolean;
}

export interface FeedPollerDeps {
  feedStore: FeedStore;
  ingest: IngestDraft;
  log: Logger;
  allowPrivate: boolean;
  maxBytes?: number;
  now?: () => Date;
  /** Default interval per feed (FEED_INTERVAL_MINUTES). */
  intervalMinutes?: number;
  /** Post the items found on a feed's first poll too. */
  backfill?: boolean;
  version?: string;
  fetcher?: FeedFetcher;
  /** How many feeds are fetched at once (hosts are still serialised by the fetcher). */
  concurrency?: number;
  /** How many of one feed's items are ingested at once (each may wait for its page). */
  itemConcurrency?: number;
  /** Told about every poll's outcome (metrics). */
  onPolled?: (result: PollResult) => void;
  /** Parses documents off the main thread with a time budget; created (and closed by `stop`) when absent. */
  parser?: FeedParser;
}

const MINUTE = 60_000;
/** Never poll more often than this, whatever the config says, nor less often than the max. */
const MIN_INTERVAL_MIN = 1;
const MAX_INTERVAL_MIN = 6 * 60;
const MAX_BACKOFF_MIN = 6 * 60;
const DISABLE_AFTER_MS = 48 * 60 * MINUTE;
/**
 * A later poll on which at least this many items are all unknown (by guid, link and title) looks
 * like a feed that rotates its ids: only the newest few are kept, unannounced, and the feed is flagged.
 */
const CHURN_MIN_ITEMS = 20;
const CHURN_KEEP = 10;
/** Store work per item is synchronous (SQLite); hand the loop back this often. */
const YIELD_EVERY_MS = 10;

const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createFeedPoller(deps: FeedPollerDeps) {
  const now = deps.now ?? (() => new Date());
  const base = deps.intervalMinutes ?? 10;
  const fetcher =
    deps.fetcher ??
    createFeedFetcher({
      allowPrivate: deps.allowPrivate,
      ...(deps.maxBytes ? { maxBytes: deps.maxBytes } : {}),
      ...(deps.version ? { version: deps.version } : {}),
    });
  const concurrency = deps.concurrency ?? 8;
  const itemConcurrency = deps.itemConcurrency ?? 8;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  /** The feed's own hints (<ttl>, max-age) can slow us down but not speed us up, within bounds. */
  function nextInterval(ttlMinutes: number | undefined, maxAgeSeconds: number | undefined): number {
    const hinted = Math.max(base, ttlMinutes ?? 0, (maxAgeSeconds ?? 0) / 60);
    return Math.min(Math.max(hinted, MIN_INTERVAL_MIN), Math.max(MAX_INTERVAL_MIN, base));
  }

  let ownParser: FeedParser | undefined;
  const parser = (): FeedParser => deps.parser ?? (ownParser ??= createFeedParser());

  async function ingestItems(
    url: string,
    record: FeedRecord | undefined,
    body: Buffer,
    contentType: string | undefined,
    at: string,
  ) {
    const feed = await parser().prepare(body, { url, ...(contentType ? { contentType } : {}) });
    const firstPoll = !record || record.polls === 0;
    let announce = !firstPoll || deps.backfill === true;
    const counts: PollCounts = { new: 0, updated: 0, unchanged: 0, rejected: feed.rejected.length };
    logCuts(url, feed);
    let sliceStarted = performance.now();
    const pause = async (): Promise<void> => {
      if (performance.now() - sliceStarted < YIELD_EVERY_MS) return;
      await breathe();
      sliceStarted = performance.now();
    };
    // Guid churn: an item known under any of its keys keeps the article it already has.
    const known: (string | undefined)[] = [];
    for (const entry of feed.items) {
      known.push(await deps.feedStore.findArticleKey(entry.keys.all));
      await pause();
    }
    let items = feed.items;
    let warning: string | undefined;
    if (!firstPoll && items.length >= CHURN_MIN_ITEMS && known.every((key) => key === undefined)) {
      warning = `all ${items.length} items were new since the last poll (ids that rotate?); kept the newest ${CHURN_KEEP} without posting`;
      items = items.slice(0, CHURN_KEEP);
      announce = false;
      deps.log.warn(
        { feed: url, items: feed.items.length, kept: items.length },
        'feed replaced every item since the last poll',
      );
    }
    // Items run side by side (their pages come from different hosts at their own pace, see the
    // full-text gate); a store failure still fails the poll, once the items under way have finished.
    const itemKeys = items.map((entry, index) => known[index] ?? entry.keys.primary);
    await runInLanes(itemKeys, itemConcurrency, async (index) => {
      const { keys, draft, guid } = items[index]!;
      try {
        draft.key = itemKeys[index]!;
        const status = await deps.ingest(draft, { announce });
        counts[status]++;
        await deps.feedStore.rememberKeys(keys.all, draft.key, at);
      } catch (err) {
        if (!isNewsdeskError(err, 'bad_input')) throw err;
        counts.rejected++;
        deps.log.debug({ err, feed: url, guid }, 'feed item rejected');
      }
      await pause();
    });
    return { feed, counts, firstPoll, warning };
  }

  /** One line per poll for whatever the caps cut, so an operator can see why an item looks short. */
  function logCuts(url: string, feed: PreparedFeed): void {
    const { itemsFound, itemsDropped, truncated } = feed.caps;
    if (itemsDropped > 0 || Object.keys(truncated).length > 0) {
      deps.log.warn(
        { feed: url, itemsFound, itemsDropped, truncated },
        'feed exceeded its caps; items dropped or fields cut',
      );
    }
    for (const rejected of feed.rejected.slice(0, 5)) deps.log.debug({ feed: url, ...rejected }, 'feed item rejected');
  }

  // Polls started outside the timer (`/news feeds add` polls at once): stop waits for them too.
  const inFlight = new Set<Promise<unknown>>();
  async function poll(url: string): Promise<PollResult> {
    const job = pollFeed(url);
    inFlight.add(job);
    try {
      const result = await job;
      deps.onPolled?.(result);
      return result;
    } finally {
      inFlight.delete(job);
    }
  }

  async function pollFeed(url: string): Promise<PollResult> {
    const record = await deps.feedStore.get(url);
    const started = now();
    const at = started.toISOString();
    const empty: PollCounts = { new: 0, updated: 0, unchanged: 0, rejected: 0 };
    try {
      const conditional = record
        ? {
            ...(record.etag ? { etag: record.etag } : {}),
            ...(record.lastModified ? { lastModified: record.lastModified } : {}),
          }
        : {};
      const response = await fetcher.fetch(url, conditional);
      if (response.status === 304) {
        if (record) {
          await deps.feedStore.update(url, {
            lastPolledAt: at,
            nextPollAt: new Date(
              started.getTime() + nextInterval(undefined, response.maxAgeSeconds) * MINUTE,
            ).toISOString(),
            failures: 0,
            firstFailureAt: undefined,
            lastError: undefined,
          });
        }
        return { url, status: 'not_modified', firstPoll: false, ...empty };
      }
      const { feed, counts, firstPoll, warning } = await ingestItems(
        url,
        record,
        response.body,
        response.contentType,
        at,
      );
      if (record) {
        await deps.feedStore.update(url, {
          title: feed.title || record.title,
          etag: response.etag,
          lastModified: response.lastModified,
          lastPolledAt: at,
          nextPollAt: new Date(
            started.getTime() + nextInterval(feed.ttlMinutes, response.maxAgeSeconds) * MINUTE,
          ).toISOString(),
          failures: 0,
          firstFailureAt: undefined,
          lastError: warning,
          polls: record.polls + 1,
        });
      }
      const dropped = feed.caps.itemsDropped;
      deps.log.info({ feed: url, ...counts, firstPoll, ...(dropped > 0 ? { dropped } : {}) }, 'feed polled');
      return {
        url,
        status: 'ok',
        firstPoll,
        ...counts,
        ...(warning ? { warning } : {}),
        ...(dropped > 0 ? { dropped } : {}),
      };
    } catch (err) {
      const message = isNewsdeskError(err) ? err.message : `Unexpected error: ${(err as Error).message}`;
      if (!isNewsdeskError(err)) deps.log.error({ err, feed: url }, 'feed poll crashed');
      else deps.log.warn({ feed: url, code: err.code, error: message }, 'feed poll failed');
      const refused = isNewsdeskError(err, 'forbidden');
      if (!record) return { url, status: 'error', firstPoll: false, error: message, refused, ...empty };
      const failures = record.failures + 1;
      const firstFailureAt = record.firstFailureAt ?? at;
      const disabled = started.getTime() - Date.parse(firstFailureAt) >= DISABLE_AFTER_MS;
      const backoff = Math.min(base * 2 ** (failures - 1), MAX_BACKOFF_MIN);
      await deps.feedStore.update(url, {
        failures,
        firstFailureAt,
        lastPolledAt: at,
        lastError: disabled ? `${message} (disabled after 48 h of failures; add the feed again to retry)` : message,
        disabled,
        nextPollAt: new Date(started.getTime() + backoff * MINUTE).toISOString(),
      });
      return { url, status: disabled ? 'disabled' : 'error', firstPoll: false, error: message, refused, ...empty };
    }
  }

  /** Poll every due feed, `concurrency` at a time. One feed's failure never stops the others. */
  async function pollDue(limit = 1000): Promise<PollResult[]> {
    const due = await deps.feedStore.due(now().toISOString(), limit);
    const results: PollResult[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < due.length) {
        const feed = due[next++];
        if (feed) results.push(await poll(feed.url));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, worker));
    return results;
  }

  return {
    /** Poll one URL now (the `ingest <url>` CLI and `/news feeds add`). */
    pollOnce: poll,
    pollDue,
    /** Make sure FEED_URLS are in the store. */
    async ensureFeeds(urls: string[]): Promise<void> {
      for (const url of urls) await deps.feedStore.add(url, { now: now().toISOString() });
    },
    /** Check for due feeds every `tickMs`; a tick never overlaps the previous one. */
    start(tickMs = 30_000): void {
      if (timer) return;
      const tick = (): void => {
        if (running) return;
        running = pollDue()
          .catch((err: unknown) => deps.log.error({ err }, 'feed tick failed'))
          .finally(() => {
            running = undefined;
          });
      };
      timer = setInterval(tick, tickMs);
      timer.unref();
      tick();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await ownParser?.close();
      ownParser = undefined;
    },
  };
}

export type FeedPoller = ReturnType<typeof createFeedPoller>;
