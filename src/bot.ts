import type { Config } from './config.js';
import type { Platform } from './domain/channel.js';
import { createDispatcher, type Dispatcher } from './delivery/dispatcher.js';
import { createRateLimiter, type RateLimiter } from './delivery/rate-limiter.js';
import { createScheduleRegistry, scheduleKey, type ScheduleRegistry } from './delivery/schedules.js';
import { claimOwner } from './delivery/claim-loop.js';
import { createSharedRateLimiter } from './delivery/shared-rate-limiter.js';
import { onceAcrossReplicas } from './delivery/tick-lock.js';
import type { Stores } from './store/ports.js';
import type { DeliveryControl } from '../commands/command.js';
import { schedule } from './delivery/scheduler.js';
import { registerHealthRoutes } from './http/health.js';
import { readBuildInfo } from './http/build-info.js';
import { createMetrics, registerMetricsRoute } from './http/metrics.js';
import { registerStoreGauges } from './http/store-gauges.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { watchArticles } from './ingest/watch-articles.js';
import type { Logger } from './logger.js';
import type { PlatformAdapter } from './platforms/adapter.js';
import { createConsoleAdapter } from './platforms/console/adapter.js';
import { expectSlackEvents } from './platforms/slack/early-events.js';
import { stdinMode } from './platforms/console/stdin-mode.js';
import { createRuntime, type Runtime } from './runtime.js';

/** Rows that failed once are retried on this loop, whatever their channel's schedule. */
const RETRY_LOOP = '*/5 * * * * *';
const SHUTDOWN_GRACE_MS = 10_000;
/** How often a replica re-reads subscriptions for its schedule jobs (only on a shared database). */
const SUBSCRIPTION_SYNC = '*/30 * * * * *';

export interface RunningBot {
  port: number;
  runtime: Runtime;
  dispatcher: Dispatcher;
  /** Stop taking commands, let deliveries in flight finish (bounded), close the store. */
  shutdown(reason: string): Promise<void>;
}

/**
 * Platform rate limits, from their documentation: Discord 50/s per bot and about 5 per 5 s per
 * channel; Slack about 1/s per channel and a workspace cap. On a shared database (several
 * replicas) the bot-wide limits are kept in the database, so replicas together stay under them.
 */
function limitersFor(config: Config, stores: Stores, log: Logger): Partial<Record<Platform, RateLimiter>> {
  const discord = { global: { limit: config.discordGlobalRate, windowMs: 1_000 }, perChannel: { limit: 5, windowMs: 5_000 } };
  const slack = { global: { limit: config.slackWorkspaceRate, windowMs: 1_000 }, perChannel: { limit: 1, windowMs: 1_000 } };
  const slots = stores.rateSlots;
  if (slots) {
    return {
      discord: createSharedRateLimiter({ slots, key: 'discord', ...discord, log }),
      slack: createSharedRateLimiter({ slots, key: 'slack', ...slack, sharePerChannel: true, log }),
    };
  }
  return { discord: createRateLimiter(discord), slack: createRateLimiter(slack) };
}

/** Wire everything: store → ingest → adapters → scheduler, plus the HTTP server. */
export async function startBot(config: Config, log: Logger, io: { onInputEnd: () => void; platformAdapters?: (runtime: Runtime, http: HttpServer) => Promise<Partial<Record<Platform, PlatformAdapter>>> }): Promise<RunningBot> {
  let ready = false;
  const http = createHttpServer({ log });
  // issue 17: /readyz reports live connections and the store, read only once started (runtime is set by then).
  registerHealthRoutes(http, {
    ready: () => ready,
    adapters: () => runtime.adapters,
    probeStore: () => runtime.stores.meta.getMeta('readyz'),
  });
  // issue 17: /slack/events is routed from the first moment; requests wait for the adapter (2.5 s at most).
  if (config.slack?.signingSecret && !config.slack.appToken) {
    expectSlackEvents(http, { signingSecret: config.slack.signingSecret, log });
  }
  const port = await http.listen(config.port, config.httpHost);
  log.info({ port, host: config.httpHost }, 'http listening');

  // Subscription commands reach the schedules through this, once they exist.
  let schedules: ScheduleRegistry | undefined;
  const delivery: DeliveryControl = {
    defaultSchedule: config.postSchedule,
    defaultTimezone: config.postTimezone,
    nextRun: (subscription) => schedules?.nextRun(subscription),
    changed: async () => schedules?.sync(await runtime.stores.subscriptions.listSubscriptions()),
  };
  const metrics = createMetrics({ build: readBuildInfo(process.cwd()) });
  let runtime: Runtime;
  try {
    runtime = await createRuntime(config, log, { metrics, delivery });
  } catch (err) {
    await http.close();
    throw err;
  }
  const { stores } = runtime;
  const storeGauges = registerStoreGauges(metrics, { stores, log, refreshMs: config.metrics.refreshMs });
  registerMetricsRoute(http, metrics, { token: config.metrics.token });

  const counts = await runtime.ingester.ingestPath(config.articlesDir);
  log.info({ dir: config.articlesDir, new: counts.new, updated: counts.updated, unchanged: counts.unchanged, rejected: counts.rejected.length }, 'articles folder ingested');
  const watcher = watchArticles({ dir: config.articlesDir, ingester: runtime.ingester, log });

  const adapters = runtime.adapters;
  Object.assign(adapters, (await io.platformAdapters?.(runtime, http)) ?? {});
  if (!config.discord && !config.slack) {
    adapters.console = createConsoleAdapter({ execute: runtime.execute, input: process.stdin, output: process.stdout, interactive: stdinMode() !== 'none', onEnd: io.onInputEnd });
  }
  // Replicas on one database claim channels under this name, and run each scheduled tick once.
  const owner = claimOwner();
  const shared = { locks: stores.locks, owner, log };
  const dispatcher = createDispatcher({
    stores,
    adapters,
    limiters: limitersFor(config, stores, log),
    log,
    owner,
    perChannelPerTick: config.postsPerTick,
    observe: {
      result: (platform, outcome) => metrics.deliveries.inc({ platform, outcome }),
      rateLimited: (platform) => metrics.rateLimited.inc({ platform }),
      waited: (platform, ms) => metrics.rateLimitWaitSeconds.observe({ platform }, ms / 1000),
      posted: (platform, ms) => metrics.deliveryLatencySeconds.observe({ platform }, ms / 1000),
    },
  });
  for (const adapter of Object.values(adapters)) await adapter.start();

  const defaults = { defaultSchedule: config.postSchedule, defaultTimezone: config.postTimezone };
  schedules = createScheduleRegistry({
    ...defaults,
    log,
    onTick: (channels, key) =>
      onceAcrossReplicas(shared, `tick ${key.replace('\u0000', ' ')}`, async () => {
        // Another replica may have taken a subscription by command since this one last synced.
        const current = stores.locks
          ? (await stores.subscriptions.listSubscriptions()).filter((sub) => !sub.paused && scheduleKey(sub, defaults) === key).map((sub) => sub.channel)
          : channels;
        // issue 17: queued per platform track, not awaited: a long Discord pass never holds Slack's next fire.
        dispatcher.fire(current, key);
      })(),
  });
  schedules.sync(await stores.subscriptions.listSubscriptions());
  // Each replica keeps its jobs in step with subscriptions made through the others.
  const resync = stores.locks
    ? schedule({ expression: SUBSCRIPTION_SYNC, timezone: 'UTC', name: 'subscription sync', log, task: async () => schedules?.sync(await stores.subscriptions.listSubscriptions()) })
    : undefined;
  // The same loop finishes fan-outs left in the outbox (an edit the CLI could not make, a kill mid-ingest).
  const retries = schedule({
    expression: RETRY_LOOP,
    timezone: 'UTC',
    name: 'retry',
    log,
    task: onceAcrossReplicas(shared, 'retry', async () => {
      await runtime.drainOutbox();
      await dispatcher.tick({ retriesOnly: true });
    }),
  });
  runtime.poller.start();
  await storeGauges.refresh();
  ready = true;
  log.info({ adapters: Object.keys(adapters), channels: runtime.configuredChannels.length }, 'newsdesk ready');

  // What is already due goes out now (the terminal shows the articles at once); then on schedule.
  // Not awaited: shutdown waits for it through dispatcher.idle().
  void dispatcher.tick().catch((err: unknown) => log.error({ err }, 'first delivery pass failed'));

  let stopping: Promise<void> | undefined;
  return {
    port,
    runtime,
    dispatcher,
    shutdown(reason) {
      stopping ??= (async () => {
        ready = false;
        log.info({ reason }, 'shutting down');
        await schedules.stop();
        await retries.stop();
        await resync?.stop();
        storeGauges.stop();
        watcher.close();
        await runtime.poller.stop();
        // Posts in flight need their platform connection: let them finish (bounded) before disconnecting.
        const drained = await Promise.race([dispatcher.idle().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), SHUTDOWN_GRACE_MS).unref())]);
        if (!drained) log.warn({ graceMs: SHUTDOWN_GRACE_MS }, 'deliveries still in flight at shutdown; a restart resolves them');
        for (const adapter of Object.values(adapters)) await adapter.stop().catch((err: unknown) => log.warn({ err }, 'adapter stop failed'));
        await http.close();
        await stores.close();
        log.info('stopped');
      })();
      return stopping;
    },
  };
}
