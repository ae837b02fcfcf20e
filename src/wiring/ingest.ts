import type { Config } from '../config.js';
import type { Metrics } from '../http/metrics.js';
import { enrichDraft } from '../ingest/enrich.js';
import { createFeedPoller, type IngestDraft } from '../ingest/feeds/poller.js';
import { createFileIngester } from '../ingest/ingest-files.js';
import type { Logger } from '../logger.js';
import type { Stores, UpsertResult } from '../store/ports.js';
import { newsdeskVersion } from '../version.js';
import type { Signal } from './signal.js';

/**
 * The ingest step: article files and feeds into the store. Each new or changed article that should
 * reach channels is announced on `stored`; the delivery step fans it out.
 */
export function createIngest(deps: {
  config: Config;
  log: Logger;
  stores: Stores;
  metrics: Metrics;
  stored: Signal<UpsertResult>;
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
  // A feed item is stored like a file article; it is announced unless it was on the feed before we first polled it.
  const ingestFeedItem: IngestDraft = async (draft, { announce }) => {
    const feedTitle = draft.origin.kind === 'feed' ? draft.origin.feedTitle : undefined;
    const result = await stores.articles.upsert({ ...enrichDraft(draft, { title: feedTitle, link: draft.url }), announce });
    if (result.status !== 'unchanged') metrics.articlesIngested.inc({ status: result.status, origin: 'feed' });
    if (result.status === 'updated' || (result.status === 'new' && announce)) await stored.emit(result);
    return result.status;
  };
  const poller = createFeedPoller({
    feedStore: stores.feeds,
    ingest: ingestFeedItem,
    log,
    allowPrivate: config.feeds.allowPrivate,
    maxBytes: config.feeds.maxBytes,
    intervalMinutes: config.feeds.intervalMinutes,
    version: newsdeskVersion(),
    onPolled: (result) => metrics.feedFetches.inc({ result: result.refused ? 'refused' : result.status }),
  });
  return { ingester, poller };
}
