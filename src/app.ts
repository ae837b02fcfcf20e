import { type Config, hasChatPlatform } from './config.js';
import { channelId } from './domain/channel.js';
import { syncConfigSubscriptions } from './delivery/config-subscriptions.js';
import type { Schedule } from './delivery/scheduler.js';
import { registerHealthRoutes } from './http/health.js';
import { readBuildInfo } from './http/build-info.js';
import { createMetrics, registerMetricsRoute } from './http/metrics.js';
import { registerStoreGauges, type StoreGauges } from './http/store-gauges.js';
import { createHttpServer } from './http/server.js';
import { createWatchdog } from './http/watchdog.js';
import { createResummarizer } from './ingest/resummarize.js';
import { type ArticleWatcher, watchArticles } from './ingest/watch-articles.js';
import type { Logger } from './logger.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import type { PlatformDescriptor, TerminalIo } from './platforms/descriptor.js';
import { platforms as descriptorList } from './platforms/index.js';
import type { Stores, UpsertResult } from './store/ports.js';
import { commands } from '../commands/index.js';
import { createDelivery } from './wiring/delivery.js';
import { createIngest } from './wiring/ingest.js';
import { createServices, type TickDue } from './wiring/services.js';
import { createSignal } from './wiring/signal.js';

const SHUTDOWN_GRACE_MS = 10_000;

export interface AppDeps {
  config: Config;
  log: Logger;
  /** Opened by the caller (the store step), closed by `stop`. */
  stores: Stores;
  /**
   * `bot`: platforms, HTTP, schedules and the articles watcher. `once` (the one-shot CLI): the
   * store and services only; edits it cannot make wait in the outbox for the running bot.
   */
  mode: 'bot' | 'once';
  /** The process's terminal, for the console platform. */
  terminal?: TerminalIo;
  /** The platform list, for permission hints; the configuration already picked the enabled ones. */
  descriptors?: readonly PlatformDescriptor[];
}

export type App = Awaited<ReturnType<typeof createApp>>;

/**
 * The one wiring. The caller runs config → logger → store; this builds services → adapters →
 * scheduler without any I/O (it only loads the enabled platforms' modules); `start` connects and
 * starts everything; `stop` undoes it in reverse.
 */
export async function createApp(deps: AppDeps) {
  const { config, log, stores, mode } = deps;
  const bot = mode === 'bot';
  const metrics = createMetrics({ build: readBuildInfo(process.cwd()) });
  const http = createHttpServer({ log });
  const stored = createSignal<UpsertResult>();
  const tickDue = createSignal<TickDue>();
  // Samples event-loop delay from here on; /healthz fails while it stays stalled (the watchdog stops with the server).
  const watchdog = bot ? createWatchdog({ log }) : undefined;

  // Services: ingest, then the schedules and the command executor.
  const { ingester, poller, feedParser, fullText, stopFullText } = createIngest({
    config,
    log,
    stores,
    metrics,
    stored,
    mode,
  });
  const { schedules, execute } = createServices({
    config,
    log,
    stores,
    metrics,
    poller,
    feedParser,
    tickDue,
    scheduling: bot,
    descriptors: deps.descriptors ?? descriptorList,
  });

  // Adapters: one per enabled platform; built here, connected in start().
  const terminal = deps.terminal ?? {
    input: process.stdin,
    output: process.stdout,
    interactive: false,
    onEnd: () => {},
  };
  const platformDeps = { stores, log, execute, commands, http, terminal };
  const enabled = bot ? config.platforms : [];
  const adapters: Partial<Record<string, PlatformAdapter>> = Object.fromEntries(
    await Promise.all(enabled.map(async (platform) => [platform.name, await platform.create(platformDeps)] as const)),
  );
  const configuredChannels = config.platforms.flatMap((platform) =>
    platform.channels.map((id) => channelId(platform.name, id)),
  );

  // Scheduler: fan-out and the dispatcher.
  const { dispatcher, drainOutbox, startLoops, startAdapter } = createDelivery({
    config,
    log,
    stores,
    metrics,
    adapters,
    platforms: enabled,
    schedules,
    stored,
    tickDue,
    watchdog,
  });

  // Articles stored under an older summariser are redone in the background once the bot is up.
  const resummarizer = createResummarizer({ articles: stores.articles, log });

  let ready = false;
  let port: number | undefined;
  let watcher: ArticleWatcher | undefined;
  let loops: Schedule[] = [];
  let storeGauges: StoreGauges | undefined;
  let stopping: Promise<void> | undefined;

  /** The data steps the bot and the CLI share: configured channels and feeds, interrupted fan-outs. */
  async function prepare(): Promise<void> {
    await syncConfigSubscriptions({ stores, log, channels: configuredChannels });
    await poller.ensureFeeds(config.feeds.urls);
    const recovered = await drainOutbox();
    if (recovered > 0) log.info({ articles: recovered }, 'fan-out finished after a restart');
  }

  async function start(): Promise<number> {
    registerHealthRoutes(http, {
      ready: () => ready,
      watchdog,
      adapters: () => adapters,
      probeStore: () => stores.meta.getMeta('readyz'),
    });
    registerMetricsRoute(http, metrics, { token: config.metrics.token });
    port = await http.listen(config.port, config.httpHost);
    log.info({ port, host: config.httpHost }, 'http listening');
    await prepare();
    const counts = await ingester.ingestPath(config.articlesDir);
    log.info(
      {
        dir: config.articlesDir,
        new: counts.new,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected: counts.rejected.length,
      },
      'articles folder ingested',
    );
    watcher = watchArticles({ dir: config.articlesDir, ingester, log });
    for (const adapter of Object.values(adapters)) if (adapter) await startAdapter(adapter);
    schedules.sync(await stores.subscriptions.listSubscriptions());
    loops = startLoops();
    poller.start();
    fullText.startRetries();
    // Store counts are read on a background timer, so a scrape never scans a table.
    storeGauges = registerStoreGauges(metrics, { stores, log, refreshMs: config.metrics.refreshMs });
    await storeGauges.refresh();
    ready = true;
    log.info({ adapters: Object.keys(adapters), channels: configuredChannels.length }, 'newsdesk ready');
    // What is already due goes out now (the terminal shows the articles at once); then on schedule.
    // Not awaited: stop waits for it through dispatcher.idle().
    void dispatcher.tick().catch((err: unknown) => log.error({ err }, 'first delivery pass failed'));
    void resummarizer.start().catch((err: unknown) => log.error({ err }, 're-summarising stopped'));
    return port;
  }

  /** Stop taking commands, let deliveries in flight finish (bounded), close the store. Safe to call twice. */
  function stop(reason: string): Promise<void> {
    stopping ??= (async () => {
      ready = false;
      log.info({ reason }, 'shutting down');
      await schedules.stop();
      for (const loop of loops) await loop.stop();
      storeGauges?.stop();
      watcher?.close();
      await resummarizer.stop();
      await poller.stop();
      await feedParser.close();
      await stopFullText();
      // Posts in flight need their platform connection: let them finish (bounded) before disconnecting.
      const drained = await Promise.race([
        dispatcher.idle().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref()),
      ]);
      if (!drained) {
        log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'deliveries still in flight at shutdown; a restart resolves them');
      }
      for (const adapter of Object.values(adapters)) {
        await adapter?.stop().catch((err: unknown) => log.warn({ err }, 'adapter stop failed'));
      }
      if (port !== undefined) await http.close();
      await stores.close();
      log.info('stopped');
    })();
    return stopping;
  }

  return {
    stores,
    execute,
    ingester,
    poller,
    /** Full-text counts (`news ingest`) and the wait for pages still arriving. */
    fullText,
    dispatcher,
    adapters,
    /** Channels that receive scheduled posts from configuration. */
    configuredChannels,
    /** Whether a chat platform is on (else the terminal is the front end). */
    chat: hasChatPlatform(config),
    drainOutbox,
    prepare,
    start,
    stop,
  };
}
