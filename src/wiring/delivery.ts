import type { Config } from '../config.js';
import type { Platform } from '../domain/channel.js';
import { claimOwner, workersForRate } from '../delivery/claim-loop.js';
import { createDispatcher } from '../delivery/dispatcher.js';
import { createFanOut } from '../delivery/fan-out.js';
import { type ScheduleRegistry, scheduleKey } from '../delivery/schedules.js';
import { type Schedule, schedule } from '../delivery/scheduler.js';
import { onceAcrossReplicas } from '../delivery/tick-lock.js';
import type { Watchdog } from '../http/watchdog.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';
import type { PlatformAdapter } from '../platforms/adapter.js';
import type { EnabledPlatform } from '../platforms/descriptor.js';
import type { Stores, UpsertResult } from '../store/ports.js';
import { limitersFor } from './limiters.js';
import type { TickDue } from './services.js';
import type { Signal } from './signal.js';

/** Rows that failed once are retried on this loop, whatever their channel's schedule. */
const RETRY_LOOP = '*/5 * * * * *';
/** How often a replica re-reads subscriptions for its schedule jobs (only on a shared database). */
const SUBSCRIPTION_SYNC = '*/30 * * * * *';

/**
 * The delivery step: fan-out of stored articles into the ledger, and the dispatcher that sends
 * ledger rows through the adapters within each platform's limits. Loops start with `startLoops`.
 */
export function createDelivery(deps: {
  config: Config;
  log: Logger;
  stores: Stores;
  metrics: Metrics;
  adapters: Partial<Record<Platform, PlatformAdapter>>;
  platforms: EnabledPlatform[];
  schedules: ScheduleRegistry;
  stored: Signal<UpsertResult>;
  tickDue: Signal<TickDue>;
  /** Names each tick while it runs, so a stall log says what was running. */
  watchdog?: Watchdog;
}) {
  const { config, log, stores, metrics, adapters, schedules } = deps;
  // Edits go through an adapter only once it is connected; before that they wait in the outbox.
  let connected = false;
  const fanOut = createFanOut({ stores, log, onUpdate: config.onUpdate, adapters: () => (connected ? adapters : {}) });
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
  deps.stored.listen(fanOutStored);

  // Replicas on one database claim channels under this name, and run each scheduled tick once.
  const owner = claimOwner();
  const shared = { locks: stores.locks, owner, log };
  const limiters = limitersFor(deps.platforms, stores, log);
  const concurrencyByPlatform: Partial<Record<Platform, number>> = {};
  for (const platform of deps.platforms)
    if (platform.rateLimits?.global) concurrencyByPlatform[platform.name] = workersForRate(platform.rateLimits.global);
  const dispatcher = createDispatcher({
    stores,
    adapters,
    limiters,
    concurrencyByPlatform,
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
  const defaults = { defaultSchedule: config.postSchedule, defaultTimezone: config.postTimezone };
  deps.tickDue.listen(({ channels, key }) => {
    const label = `tick ${key.replace('\u0000', ' ')}`;
    const tick = onceAcrossReplicas(shared, label, async () => {
      // Another replica may have taken a subscription by command since this one last synced.
      const current = stores.locks
        ? (await stores.subscriptions.listSubscriptions())
            .filter((sub) => !sub.paused && scheduleKey(sub, defaults) === key)
            .map((sub) => sub.channel)
        : channels;
      // Queued per platform track, not awaited: a long Discord pass never holds Slack's next fire.
      dispatcher.fire(current, key);
    });
    return deps.watchdog ? deps.watchdog.track(label, tick) : tick();
  });

  /**
   * Start an adapter with its start-up requests counted in its platform's window: they bypass the
   * limiter, and a replica starting while the others fan out at the full rate would push a window over.
   */
  async function startAdapter(adapter: PlatformAdapter): Promise<void> {
    const limiter = limiters[adapter.platform];
    const count =
      deps.platforms.find((platform) => platform.name === adapter.platform)?.rateLimits?.startupRequests ?? 0;
    const held = limiter
      ? await Promise.all(Array.from({ length: count }, (_, i) => limiter.acquire(`${adapter.platform}:start-up:${i}`)))
      : [];
    for (const slot of held) slot.sent();
    try {
      await adapter.start();
    } finally {
      // They left at some point during the start: counting them from its end is never too early.
      for (const slot of held) {
        slot.sent();
        slot.done();
      }
    }
  }

  /** Once the adapters are connected: the retry loop, and on a shared database the subscription re-sync. */
  function startLoops(): Schedule[] {
    connected = true;
    const loops: Schedule[] = [];
    if (stores.locks) {
      // Each replica keeps its jobs in step with subscriptions made through the others.
      loops.push(
        schedule({
          expression: SUBSCRIPTION_SYNC,
          timezone: 'UTC',
          name: 'subscription sync',
          log,
          task: async () => schedules.sync(await stores.subscriptions.listSubscriptions()),
        }),
      );
    }
    // The same loop finishes fan-outs left in the outbox (an edit the CLI could not make, a kill mid-ingest).
    loops.push(
      schedule({
        expression: RETRY_LOOP,
        timezone: 'UTC',
        name: 'retry',
        log,
        task: onceAcrossReplicas(shared, 'retry', async () => {
          await drainOutbox();
          // Queued per platform track, not awaited: a Slack retry never waits behind a long Discord pass.
          void dispatcher.retry();
        }),
      }),
    );
    return loops;
  }

  return { dispatcher, drainOutbox, startLoops, startAdapter };
}
