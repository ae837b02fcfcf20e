import type { DeliveryControl } from '../../commands/command.js';
import { createExecutor } from '../../commands/execute.js';
import type { Config } from '../config.js';
import type { ChannelId } from '../domain/channel.js';
import { createScheduleRegistry } from '../delivery/schedules.js';
import type { Metrics } from '../http/metrics.js';
import { createFeedCommandsPort } from '../ingest/feeds/feed-commands-port.js';
import type { FeedParser } from '../ingest/feeds/feed-parser.js';
import { createFeedFetcher } from '../ingest/feeds/fetch-feed.js';
import type { FeedPoller } from '../ingest/feeds/poller.js';
import type { Logger } from '../logger.js';
import type { PlatformDescriptor } from '../platforms/descriptor.js';
import type { Stores } from '../store/ports.js';
import { createLlmSummarizer } from '../summarize/llm-provider.js';
import { newsdeskVersion } from '../version.js';
import type { Signal } from './signal.js';

/** A schedule fired: these channels (on schedule `key`) are due. */
export interface TickDue {
  channels: ChannelId[];
  key: string;
}

/**
 * The services step: the schedules (cron jobs, created on the first sync) and the command executor
 * every platform calls. A fired schedule is announced on `tickDue`; the delivery step answers it.
 */
export function createServices(deps: {
  config: Config;
  log: Logger;
  stores: Stores;
  metrics: Metrics;
  poller: FeedPoller;
  /** The poller's parser workers, shared with `feeds add` probes. */
  feedParser: FeedParser;
  descriptors: readonly PlatformDescriptor[];
  tickDue: Signal<TickDue>;
  /** Subscription commands reach the schedules (the bot); the one-shot CLI has none running. */
  scheduling: boolean;
}) {
  const { config, log, stores, metrics } = deps;
  const schedules = createScheduleRegistry({
    defaultSchedule: config.postSchedule,
    defaultTimezone: config.postTimezone,
    log,
    onTick: (channels, key) => deps.tickDue.emit({ channels, key }),
  });
  const delivery: DeliveryControl = {
    defaultSchedule: config.postSchedule,
    defaultTimezone: config.postTimezone,
    nextRun: (subscription) => schedules.nextRun(subscription),
    changed: async () => schedules.sync(await stores.subscriptions.listSubscriptions()),
  };
  const feeds = createFeedCommandsPort({
    feedStore: stores.feeds,
    allowPrivate: config.feeds.allowPrivate,
    // `feeds add` fetches and parses a URL through the same guard before storing it.
    fetcher: createFeedFetcher({
      allowPrivate: config.feeds.allowPrivate,
      maxBytes: config.feeds.maxBytes,
      version: newsdeskVersion(),
    }),
    pollOnce: (url) => deps.poller.pollOnce(url),
    parser: deps.feedParser,
    onPollError: (err, url) => log.warn({ err, feed: url }, 'first poll of a new feed failed'),
  });
  const openai = config.summary.openai;
  const llm = openai?.apiKey
    ? createLlmSummarizer({ baseUrl: openai.baseUrl, apiKey: openai.apiKey, model: openai.model, log })
    : undefined;
  const execute = createExecutor({
    feeds,
    stores,
    log,
    limits: config.limits,
    ...(deps.scheduling ? { delivery } : {}),
    manageHints: deps.descriptors.flatMap((platform) => platform.manageHint ?? []),
    ...(llm ? { summarize: (article) => llm.summarize(article) } : {}),
    observe: (command, seconds, outcome) => metrics.commandSeconds.observe({ command, outcome }, seconds),
  });
  return { schedules, execute };
}
