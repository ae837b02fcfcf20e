import type { DeliveryControl } from '../commands/command.js';
import { createExecutor, type Executor } from '../commands/execute.js';
import type { Config } from './config.js';
import { channelId, type ChannelId, type Platform } from './domain/channel.js';
import { NewsdeskError } from './domain/errors.js';
import { syncConfigSubscriptions } from './delivery/config-subscriptions.js';
import { createFanOut } from './delivery/fan-out.js';
import { createFileIngester, type FileIngester } from './ingest/ingest-files.js';
import type { Logger } from './logger.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import type { Metrics } from './http/metrics.js';
import { isPostgresUrl, openPostgresStores } from './store/postgres-open.js';
import type { Stores, UpsertResult } from './store/ports.js';
import { openSqliteStores, sqlitePath } from './store/sqlite-open.js';
import { createLlmSummarizer } from './summarize/llm-provider.js';
import { enrichDraft } from './ingest/enrich.js';
import { createFeedCommandsPort } from './ingest/feeds/feed-commands-port.js';
import { createFeedFetcher } from './ingest/feeds/fetch-feed.js';
import { createFeedPoller, type FeedPoller, type IngestDraft } from './ingest/feeds/poller.js';
import { newsdeskVersion } from './version.js';

/** The pieces the bot and the one-shot CLI share: the store, ingest and the command executor. */
export interface Runtime {
  stores: Stores;
  ingester: FileIngester;
  execute: Executor;
  /** Channels that receive scheduled posts from configuration. */
  configuredChannels: ChannelId[];
  /** Adapters register here once started, so edits after an update can reach them. */
  adapters: Partial<Record<Platform, PlatformAdapter>>;
  /** Polls RSS, Atom and JSON feeds on their intervals once started. */
  poller: FeedPoller;
  /** Fan out stored articles whose fan-out was interrupted or left for the running bot (edits). Returns how many. */
  drainOutbox(): Promise<number>;
}

/** Where scheduled posts go: the configured chat channels, or the terminal when no platform is on. */
export function configuredChannels(config: Config): ChannelId[] {
  const discord = config.discord ? config.discordChannelIds.map((id) => channelId('discord', id)) : [];
  const slack = config.slack ? config.slackChannelIds.map((id) => channelId('slack', id)) : [];
  return config.discord || config.slack ? [...discord, ...slack] : [channelId('console', 'main')];
}

/** DATABASE_URL picks the store: `postgres://…` for PostgreSQL (several replicas), `sqlite:<path>` otherwise. */
export async function openStores(config: Config, log?: Logger): Promise<Stores> {
  if (isPostgresUrl(config.databaseUrl)) return openPostgresStores(config.databaseUrl, { log });
  if (!config.databaseUrl.startsWith('sqlite:')) {
    throw new NewsdeskError('config', 'DATABASE_URL: must be sqlite:<path> or postgres://…');
  }
  return openSqliteStores(sqlitePath(config.databaseUrl));
}

export async function createRuntime(config: Config, log: Logger, options: { metrics?: Metrics; delivery?: DeliveryControl } = {}): Promise<Runtime> {
  const { metrics } = options;
  const stores = await openStores(config, log);
  const channels = configuredChannels(config);
  await syncConfigSubscriptions({ stores, log, channels });
  const adapters: Runtime['adapters'] = {};
  const fanOut = createFanOut({ stores, log, onUpdate: config.onUpdate, adapters: () => adapters });
  // The store put each new or changed article in the outbox with the article itself; clear it once fanned out.
  const fanOutStored = async (result: UpsertResult): Promise<void> => {
    if (await fanOut(result)) await stores.articles.clearOutbox([result.article.id]);
  };
  const drainOutbox = async (): Promise<number> => {
    let done = 0;
    for (const entry of await stores.articles.pendingOutbox(500)) {
      await fanOutStored(entry);
      done += 1;
    }
    return done;
  };
  const ingester = createFileIngester({
    stores,
    log,
    timeZone: config.articlesTz,
    onStored: async (result) => {
      metrics?.articlesIngested.inc({ status: result.status, origin: result.article.origin.kind });
      await fanOutStored(result);
    },
  });
  const openai = config.summary.openai;
  const llm = openai?.apiKey ? createLlmSummarizer({ baseUrl: openai.baseUrl, apiKey: openai.apiKey, model: openai.model, log }) : undefined;
  const feedStore = stores.feeds;
  // A feed item is stored like a file article; it is announced unless it was on the feed before we first polled it.
  const ingestFeedItem: IngestDraft = async (draft, { announce }) => {
    const feedTitle = draft.origin.kind === 'feed' ? draft.origin.feedTitle : undefined;
    const result = await stores.articles.upsert({ ...enrichDraft(draft, { title: feedTitle, link: draft.url }), announce });
    if (result.status !== 'unchanged') metrics?.articlesIngested.inc({ status: result.status, origin: 'feed' });
    if (result.status === 'updated' || (result.status === 'new' && announce)) await fanOutStored(result);
    return result.status;
  };
  const poller = createFeedPoller({
    feedStore,
    ingest: ingestFeedItem,
    log,
    allowPrivate: config.feeds.allowPrivate,
    maxBytes: config.feeds.maxBytes,
    intervalMinutes: config.feeds.intervalMinutes,
    version: newsdeskVersion(),
    onPolled: (result) => metrics?.feedFetches.inc({ result: result.refused ? 'refused' : result.status }),
  });
  await poller.ensureFeeds(config.feeds.urls);
  const feeds = createFeedCommandsPort({
    feedStore,
    allowPrivate: config.feeds.allowPrivate,
    // `feeds add` fetches and parses a URL through the same guard before storing it.
    fetcher: createFeedFetcher({
      allowPrivate: config.feeds.allowPrivate,
      maxBytes: config.feeds.maxBytes,
      version: newsdeskVersion(),
    }),
    pollOnce: (url) => poller.pollOnce(url),
    onPollError: (err, url) => log.warn({ err, feed: url }, 'first poll of a new feed failed'),
  });
  const execute = createExecutor({
    feeds, stores, log, limits: config.limits, summarize: llm ? (article) => llm.summarize(article) : undefined, delivery: options.delivery, observe: metrics ? (command, seconds, outcome) => metrics.commandSeconds.observe({ command, outcome }, seconds) : undefined });
  // Whatever a kill left between storing and fanning out is done now.
  const recovered = await drainOutbox();
  if (recovered > 0) log.info({ articles: recovered }, 'fan-out finished after a restart');
  return { stores, ingester, execute, configuredChannels: channels, adapters, poller, drainOutbox };
}
