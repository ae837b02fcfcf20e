import type { Config } from '../config.js';
import type { Metrics } from '../http/metrics.js';
import { createDraftEnricher } from '../ingest/draft-enricher.js';
import { createFeedFetcher } from '../ingest/feeds/fetch-feed.js';
import { createFeedParser } from '../ingest/feeds/feed-parser.js';
import { createFeedPoller } from '../ingest/feeds/poller.js';
import { createExtractPool, type ExtractPool } from '../ingest/fulltext/extract-pool.js';
import { createFeedItemFullText, type FullTextPolicyPort } from '../ingest/fulltext/feed-item-full-text.js';
import { createFullTextFetcher } from '../ingest/fulltext/full-text-fetcher.js';
import { createRetryQueue } from '../ingest/fulltext/full-text-retries.js';
import { createTeaserHistory } from '../ingest/fulltext/teaser.js';
import { createInOrder } from '../ingest/in-order.js';
import { createFileIngester } from '../ingest/ingest-files.js';
import type { ParsePool, ParsePoolOptions } from '../ingest/parse-pool.js';
import type { Logger } from '../logger.js';
import type { Stores, UpsertResult } from '../store/ports.js';
import { newsdeskVersion } from '../version.js';
import type { Signal } from './signal.js';

/**
 * The ingest step: article files and feeds into the store. Each new or changed article that should
 * reach channels is announced on `stored`; the delivery step fans it out. A feed item that is a
 * teaser has its page fetched and extracted first (bounded wait in the bot; the one-shot CLI waits).
 */
export function createIngest(deps: {
  config: Config;
  log: Logger;
  stores: Stores;
  metrics: Metrics;
  stored: Signal<UpsertResult>;
  /** `once` (the CLI) waits for every page before it returns. */
  mode: 'bot' | 'once';
  /** Per-feed `fulltext` settings; by default read from the spaces' feed links. */
  policies?: FullTextPolicyPort;
  /** Starts the worker for large feed items (tests watch which items go there). */
  createPool?: (options: ParsePoolOptions) => ParsePool;
}) {
  const { config, log, stores, metrics, stored } = deps;
  const ingester = createFileIngester({
    stores,
    log,
    timeZone: config.articlesTz,
    onStored: async (result) => {
      metrics.articlesIngested.inc({ status: result.status, origin: result.article.origin.kind });
      await stored.emit(result);
    },
  });
  const version = newsdeskVersion();
  // Feeds and pages share one guarded fetcher, so one host sees one request at a time from us.
  const fetcher = createFeedFetcher({
    allowPrivate: config.feeds.allowPrivate,
    maxBytes: config.feeds.maxBytes,
    version,
  });
  // Large items are summarised in a worker; the items behind one wait for it, so storage keeps the feed's order.
  const enricher = createDraftEnricher({ log, ...(deps.createPool ? { createPool: deps.createPool } : {}) });
  const inFeedOrder = createInOrder();
  // Workers start on the first page, so building the app does no I/O and a bot without teasers spawns none.
  let pool: ExtractPool | undefined;
  const fullText = createFeedItemFullText({
    fullText: createFullTextFetcher({
      fetcher,
      extractor: { extract: (html, url) => (pool ??= createExtractPool()).extract(html, url) },
      log,
      history: createTeaserHistory(),
      defaultPolicy: config.fullText.defaultPolicy,
      // A host backs off for a minute at first, or less when retries are set to come sooner.
      backoffMs: Math.min(60_000, config.fullText.retrySeconds * 1000),
      observer: {
        outcome: (outcome, reason) => metrics.fullTextFetches.inc({ outcome, reason }),
        extracted: (seconds) => metrics.fullTextExtractSeconds.observe(seconds),
      },
    }),
    // Failed pages wait in the database, so a restart (or another replica) fetches them again.
    retries: createRetryQueue({
      store: stores.fullTextRetries,
      log,
      baseDelayMs: config.fullText.retrySeconds * 1000,
    }),
    onPending: (count) => metrics.fullTextRetriesPending.set(count),
    // A pass every minute, or as often as the first retry comes due when that is sooner.
    retryEveryMs: Math.min(60_000, config.fullText.retrySeconds * 1000),
    getByKey: (key) => stores.articles.getByKey(key),
    // A feed item is stored like a file article; it is announced unless it was on the feed before we first polled it.
    store: (draft, contentHash, announce) => {
      const feedTitle = draft.origin.kind === 'feed' ? draft.origin.feedTitle : undefined;
      const feedUrl = draft.origin.kind === 'feed' ? draft.origin.feedUrl : '';
      const enriched = enricher.enrich(draft, { title: feedTitle, link: draft.url });
      return inFeedOrder(feedUrl, enriched, async (input) => {
        const result = await stores.articles.upsert({ ...input, contentHash, announce });
        if (result.status !== 'unchanged') metrics.articlesIngested.inc({ status: result.status, origin: 'feed' });
        if (result.status === 'updated' || (result.status === 'new' && announce)) await stored.emit(result);
        return result.status;
      });
    },
    policies: deps.policies ?? linkPolicies(stores),
    waitMs: deps.mode === 'once' ? Number.POSITIVE_INFINITY : config.fullText.waitSeconds * 1000,
    log,
  });
  // One pool of parser workers for polls and for `feeds add` probes; closed by the app's stop.
  const feedParser = createFeedParser();
  const poller = createFeedPoller({
    parser: feedParser,
    feedStore: stores.feeds,
    ingest: fullText.ingest,
    log,
    allowPrivate: config.feeds.allowPrivate,
    fetcher,
    intervalMinutes: config.feeds.intervalMinutes,
    version,
    onPolled: (result) => metrics.feedFetches.inc({ result: result.refused ? 'refused' : result.status }),
  });
  return {
    ingester,
    poller,
    feedParser,
    fullText,
    /** After the poller stopped: retries, pages still on their way, then the extraction and summary workers. */
    async stopFullText(): Promise<void> {
      await fullText.stopRetries();
      await fullText.idle();
      await pool?.close();
      await enricher.close();
    },
  };
}

/**
 * One URL linked by several spaces is polled once, so its links' settings combine: any `always`
 * fetches every item, `never` on every link fetches none, and `auto` leaves it to FULLTEXT_DEFAULT.
 */
function linkPolicies(stores: Stores): FullTextPolicyPort {
  return {
    async policyFor(feedUrl) {
      const links = await stores.feeds.links(feedUrl);
      if (links.some((link) => link.fulltext === 'always')) return 'always';
      if (links.length > 0 && links.every((link) => link.fulltext === 'never')) return 'never';
      return undefined;
    },
  };
}
