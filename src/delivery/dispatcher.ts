import { digestReply, postReply } from '../domain/cards.js';
import type { Article } from '../domain/article.js';
import { parseChannelId, type ChannelId, type Platform } from '../domain/channel.js';
import type { Delivery } from '../domain/delivery.js';
import { type NewsdeskError, isNewsdeskError } from '../domain/errors.js';
import type { Subscription } from '../domain/subscription.js';
import type { Logger } from '../logger.js';
import type { PlatformAdapter, PostOptions } from '../platforms/adapter.js';
import type { ClaimRef, Stores } from '../store/ports.js';
import { claimOwner, runClaimLoop } from './claim-loop.js';
import { articlesForOnePass } from './pass-articles.js';
import { subscriptionsForOnePass } from './pass-subscriptions.js';
import { backoffMs } from './backoff.js';
import type { RateLimiter, RateLimitSlot } from './rate-limiter.js';
import { SWEEP_TRACK, channelsByPlatform, createTrackQueues, type TrackName } from './tracks.js';

export interface TickResult {
  sent: number;
  retried: number;
  failed: number;
  skipped: number;
}

/**
 * A claim is renewed every third of this while its replica lives; after a kill, its channels wait
 * this long. Long enough to ride out a stalled event loop, short enough that a crash costs seconds.
 */
export const DEFAULT_LEASE_MS = 15_000;

/** Discord carries at most 10 embeds in one message, so a digest holds at most 10 articles. */
export const MAX_DIGEST = 10;

export type DeliveryOutcome = 'sent' | 'retried' | 'failed';

export interface DispatcherDeps {
  stores: Stores;
  adapters: Partial<Record<Platform, PlatformAdapter>>;
  limiters?: Partial<Record<Platform, RateLimiter>>;
  log: Logger;
  /** Flood control: at most this many posts per channel per tick; the rest wait for the next. */
  perChannelPerTick: number;
  /** Transient failures before a row is failed for good. */
  maxAttempts?: number;
  /**
   * Channels worked on at once, per platform (default 64). Enough to fill a whole window at once:
   * Discord's 50 requests go out together while answers take 100 ms or more.
   */
  concurrency?: number;
  /**
   * Fewer for a platform whose limit is lower (see `workersForRate`): a Slack workspace at 20 a second
   * gains nothing from 64 posts marked and waiting, and each is a history lookup if the process dies.
   */
  concurrencyByPlatform?: Partial<Record<Platform, number>>;
  /**
   * This process's name in delivery claims (several replicas share one ledger); default
   * host:pid:random. Each pass claims whole channels, so no two replicas ever post to one channel at once.
   */
  owner?: string;
  /** How long a claim lasts without renewal: a replica that dies gives its channels up after this. */
  leaseMs?: number;
  /** Channels claimed per database round trip (default `concurrency`). */
  claimBatch?: number;
  now?: () => Date;
  observe?: {
    result?: (platform: Platform, outcome: DeliveryOutcome) => void;
    rateLimited?: (platform: Platform) => void;
    waited?: (platform: Platform, ms: number) => void;
    /** A row became sent: how long it waited from entering the ledger to the post. */
    posted?: (platform: Platform, latencyMs: number) => void;
  };
}

export interface TickQuery {
  /** Only these channels (a schedule's tick). */
  channels?: ChannelId[];
  /** Only rows already tried once or left in flight (the retry loop). */
  retriesOnly?: boolean;
}

/** A stable ≤25-character token per (article, channel), so a resend after a crash is recognisable. */
export function deliveryNonce(articleId: string, channel: ChannelId): string {
  let hash = 0x811c9dc5;
  for (const char of channel) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `nd${articleId}${hash.toString(36)}`.slice(0, 25);
}

/** Sends due ledger rows through the adapters. One channel's failure never holds up another's. */
export function createDispatcher(deps: DispatcherDeps) {
  const { stores, log } = deps;
  const maxAttempts = deps.maxAttempts ?? 5;
  const now = deps.now ?? (() => new Date());
  const owner = deps.owner ?? claimOwner();
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const tracks = createTrackQueues();

  async function markSent(platform: Platform, row: Delivery, messageId: string): Promise<void> {
    const at = now();
    await stores.deliveries.markSent(row.articleId, row.channel, messageId, at.toISOString());
    deps.observe?.posted?.(platform, Math.max(0, at.getTime() - Date.parse(row.createdAt)));
  }

  async function send(
    claim: ClaimRef,
    platform: Platform,
    adapter: PlatformAdapter,
    rows: Delivery[],
    articles: Article[],
    subscription: Subscription,
    result: TickResult,
  ): Promise<boolean> {
    const first = rows[0]!;
    const channel = first.channel;
    // The limiter counts the platform's window from when the request leaves: marked as the call is
    // made, then again by the adapter when it knows better (discord.js may queue it a while).
    const options: PostOptions = {
      articleId: first.articleId,
      nonce: deliveryNonce(first.articleId, channel),
      onSent: () => slot?.sent(),
      // A thread post records its message before opening the thread (see markPosted).
      postedMessageId: rows.length === 1 ? first.messageId : undefined,
      onPosted: (messageId) => stores.deliveries.markPosted(first.articleId, channel, messageId, now().toISOString()),
      // A thread, or a lookup of what a channel is, is a request of its own and takes its own slot.
      beforeNextRequest: async () => {
        slot?.sent();
        await acquire();
      },
    };
    const context = { articleId: rows.map((row) => row.articleId).join(','), channel };
    const limiter = deps.limiters?.[platform];
    let slot: RateLimitSlot | undefined;
    const acquire = async () => {
      slot?.done();
      slot = await limiter?.acquire(channel);
      if (slot && slot.waitedMs > 0) deps.observe?.waited?.(platform, slot.waitedMs);
    };
    try {
      // Durably in flight before any request goes out; this also counts the attempt. Fenced by the
      // claim: a replica that lost the channel (its lease ran out while it stalled) sends nothing.
      for (const row of rows) {
        if (!(await stores.deliveries.markSending(row.articleId, channel, now().toISOString(), claim))) {
          log.warn(
            { ...context, owner: claim.owner },
            'the claim on this channel was lost; another replica delivers it',
          );
          result.skipped += rows.length;
          return false;
        }
      }
      // Rendered before the slot is taken: a lane's next slot counts from when this request leaves,
      // so work between the grant and the request lengthens every lane's cycle.
      const reply =
        subscription.digest > 0 ? digestReply(articles, subscription) : postReply(articles[0]!, subscription);
      // The slot is taken last, once the rows are marked: a lane granted to a post still being marked
      // would sit idle while posts that are ready wait for a lane.
      await acquire();
      // An earlier attempt may have posted after all: a kill after the request left, or a
      // timeout or 5xx after the platform took it. Slack has no nonce, and Discord keeps one
      // only for minutes, so look before sending again.
      if (
        adapter.findPosted &&
        !options.postedMessageId &&
        rows.some((row) => row.state === 'sending' || row.attempts > 0)
      ) {
        slot?.sent();
        const found = await adapter.findPosted(channel, options, reply);
        // No one reports when the lookup really left (discord.js may hold it in its own queue after a
        // burst): its answer is a leave time that is never too early. Counted from the mark above, a
        // late lookup shared a window with its lane's next request (429s after a database restart).
        slot?.sent();
        if (found) {
          for (const row of rows) await markSent(platform, row, found.messageId);
          const crashed = rows.some((row) => row.state === 'sending');
          log.info(
            { ...context, messageId: found.messageId },
            crashed ? 'delivery recovered after restart' : 'an earlier attempt had posted; not sending again',
          );
          result.sent += rows.length;
          deps.observe?.result?.(platform, 'sent');
          return true;
        }
        // The lookup was a request of its own.
        await acquire();
      }
      slot?.sent();
      const posted = await adapter.post(channel, reply, options);
      for (const row of rows) await markSent(platform, row, posted.messageId);
      log.info({ ...context, messageId: posted.messageId }, rows.length > 1 ? 'digest posted' : 'article posted');
      result.sent += rows.length;
      deps.observe?.result?.(platform, 'sent');
      return true;
    } catch (err) {
      for (const row of rows) await handleFailure(row, platform, err, result);
      return false;
    } finally {
      // The slot counts against the window from the answer on (see rate-limiter.ts).
      slot?.done();
    }
  }

  async function handleFailure(row: Delivery, platform: Platform, err: unknown, result: TickResult): Promise<void> {
    const at = now();
    const attempts = row.attempts + 1;
    const reason = err instanceof Error ? err.message : String(err);
    const context = { articleId: row.articleId, channel: row.channel, attempts };
    if (isNewsdeskError(err, 'forbidden') || isNewsdeskError(err, 'not_found')) {
      await stores.deliveries.markFailed(row.articleId, row.channel, reason, at.toISOString());
      log.warn({ ...context, reason }, 'channel refused the post; skipping it');
      result.failed += 1;
      deps.observe?.result?.(platform, 'failed');
      return;
    }
    const rateLimited = isNewsdeskError(err, 'rate_limited');
    if (!rateLimited && attempts >= maxAttempts) {
      await stores.deliveries.markFailed(
        row.articleId,
        row.channel,
        `${reason} (gave up after ${attempts} attempts)`,
        at.toISOString(),
      );
      log.error({ ...context, reason }, 'delivery failed for good');
      result.failed += 1;
      deps.observe?.result?.(platform, 'failed');
      return;
    }
    let waitMs = backoffMs(attempts);
    if (rateLimited) {
      const details = (err as NewsdeskError).details;
      waitMs = Number(details.retryAfterMs ?? 1_000);
      if (details.global) deps.limiters?.[platform]?.pauseAll(waitMs);
      deps.observe?.rateLimited?.(platform);
    }
    await stores.deliveries.markRetry(
      row.articleId,
      row.channel,
      reason,
      new Date(at.getTime() + waitMs).toISOString(),
      at.toISOString(),
    );
    log.warn({ ...context, reason, waitMs }, 'delivery will be retried');
    result.retried += 1;
    deps.observe?.result?.(platform, 'retried');
  }

  async function deliverChannel(
    claim: ClaimRef,
    channel: ChannelId,
    rows: Delivery[],
    result: TickResult,
    articleOf: (id: string) => Promise<Article | undefined>,
    subscriptionOf: (channel: ChannelId) => Promise<Subscription | undefined>,
  ): Promise<void> {
    const platform = parseChannelId(channel)?.platform;
    const adapter = platform ? deps.adapters[platform] : undefined;
    if (!platform || !adapter) {
      result.skipped += rows.length;
      return;
    }
    const subscription = await subscriptionOf(channel);
    if (!subscription) {
      for (const row of rows)
        await stores.deliveries.markFailed(
          row.articleId,
          channel,
          'the channel is no longer subscribed',
          now().toISOString(),
        );
      result.skipped += rows.length;
      return;
    }
    if (subscription.paused) {
      result.skipped += rows.length;
      return;
    }
    const loaded: { row: Delivery; article: Article }[] = [];
    for (const row of rows) {
      const article = await articleOf(row.articleId);
      if (article) loaded.push({ row, article });
      else
        await stores.deliveries.markFailed(row.articleId, channel, 'the article no longer exists', now().toISOString());
    }
    if (subscription.digest > 0) {
      // A digest tried before is sent again as the same batch: same first article, so the same
      // nonce and the same lookup key. Mixing in newer rows would make a second, different digest.
      const tried = loaded.filter((item) => item.row.state === 'sending' || item.row.attempts > 0);
      const batch = (tried.length > 0 ? tried : loaded).slice(0, subscription.digest);
      if (batch.length > 0)
        await send(
          claim,
          platform,
          adapter,
          batch.map((item) => item.row),
          batch.map((item) => item.article),
          subscription,
          result,
        );
      return;
    }
    for (const { row, article } of loaded.slice(0, deps.perChannelPerTick)) {
      // After a failure the channel waits for its retry time; the next rows keep their order.
      if (!(await send(claim, platform, adapter, [row], [article], subscription, result))) break;
    }
  }

  /**
   * One pass of one track. Each track claims under its own name (`owner/discord`), so one track
   * ending gives back only its own channels while the others keep theirs.
   */
  async function runTrack(
    track: TrackName,
    channels: ChannelId[] | undefined,
    query: TickQuery,
    result: TickResult,
    worked?: Set<string>,
  ): Promise<void> {
    const concurrency = deps.concurrency ?? 64;
    const workersOf = (platform: string) => deps.concurrencyByPlatform?.[platform as Platform] ?? concurrency;
    const claim: ClaimRef = { owner: track === SWEEP_TRACK ? owner : `${owner}/${track}`, leaseMs };
    const articleOf = articlesForOnePass(stores.articles);
    const subscriptionsOf = subscriptionsForOnePass(stores.subscriptions);
    await runClaimLoop({
      deliveries: stores.deliveries,
      log,
      now,
      concurrency: workersOf,
      query: {
        owner: claim.owner,
        leaseMs,
        maxChannels: deps.claimBatch ?? (track === SWEEP_TRACK ? concurrency : workersOf(track)),
        perChannel: Math.max(deps.perChannelPerTick, MAX_DIGEST),
        channels,
        retriesOnly: query.retriesOnly,
      },
      claimed: (channels) => subscriptionsOf.expect(channels.filter((channel) => !worked?.has(channel))),
      // The sweep leaves alone what a platform's track has just worked: once per channel per pass.
      deliver: async (channel, rows) => {
        if (!worked?.has(channel))
          await deliverChannel(claim, channel, rows, result, articleOf, (id) => subscriptionsOf.of(id));
      },
    });
  }

  /** Channels subscribed on each platform that has an adapter: the tracks of a pass over everything due. */
  async function subscribedByPlatform(): Promise<Map<Platform, ChannelId[]>> {
    const subscriptions = await stores.subscriptions.listSubscriptions();
    const all = channelsByPlatform(subscriptions.map((subscription) => subscription.channel));
    for (const platform of all.keys()) if (!deps.adapters[platform]) all.delete(platform);
    return all;
  }

  function tick(query: TickQuery): Promise<TickResult> {
    const result: TickResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
    if (query.channels) {
      // A schedule's tick: one track per platform among its channels, each queued on its own.
      const parts = [...channelsByPlatform(query.channels)].map(([platform, channels]) =>
        tracks.run(platform, () => runTrack(platform, channels, query, result)),
      );
      return Promise.all(parts).then(() => result);
    }
    // Everything due: each platform's subscribed channels on its track, then one sweep for the
    // rest (channels no longer subscribed, platforms not connected here), which settles those rows.
    let listed: Promise<Map<Platform, ChannelId[]>> | undefined;
    const platforms = (Object.keys(deps.adapters) as Platform[]).filter((platform) => deps.adapters[platform]);
    const parts = platforms.map((platform) =>
      tracks.run(platform, async () => {
        const channels = (await (listed ??= subscribedByPlatform())).get(platform);
        if (channels) await runTrack(platform, channels, query, result);
      }),
    );
    return Promise.all(parts)
      .then(async () => {
        const worked = new Set<string>([...((await listed)?.values() ?? [])].flat());
        await tracks.run(SWEEP_TRACK, () => runTrack(SWEEP_TRACK, undefined, query, result, worked));
      })
      .then(() => result);
  }

  /** Passes queued or running, by `track what`: a second ask while one is pending adds nothing. */
  const pending = new Set<string>();
  function queueOnce(track: TrackName, what: string, work: () => Promise<void>): Promise<void> {
    const key = `${track} ${what}`;
    if (pending.has(key)) return Promise.resolve();
    pending.add(key);
    return tracks
      .run(track, work)
      .catch((err: unknown) => log.error({ err, track, what }, 'delivery pass failed'))
      .finally(() => pending.delete(key));
  }

  return {
    /**
     * A schedule's fire: each platform's channels go on that platform's track, unless the track
     * still has this schedule's last pass queued or running (that pass claims due rows until none
     * are left, so nothing is lost). Returns once queued, so a cron job that waits for it is never
     * held by a 200 s Discord fan-out: the next fire still reaches Slack at once.
     */
    fire(channels: ChannelId[], schedule: string): void {
      for (const [platform, list] of channelsByPlatform(channels)) {
        const result: TickResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
        void queueOnce(platform, `schedule ${schedule}`, () => runTrack(platform, list, {}, result));
      }
    },
    /**
     * The retry loop's pass: rows tried before, on each platform's track (unless that track still has
     * a retry pass pending), then the sweep. Returns once queued: a Slack retry never waits for a
     * Discord fan-out, and the loop's next turn is never held by one. The promise is for tests.
     */
    retry(): Promise<void> {
      const result: TickResult = { sent: 0, retried: 0, failed: 0, skipped: 0 };
      const query: TickQuery = { retriesOnly: true };
      let listed: Promise<Map<Platform, ChannelId[]>> | undefined;
      const platforms = (Object.keys(deps.adapters) as Platform[]).filter((platform) => deps.adapters[platform]);
      const parts = platforms.map((platform) =>
        queueOnce(platform, 'retry', async () => {
          const channels = (await (listed ??= subscribedByPlatform())).get(platform);
          if (channels) await runTrack(platform, channels, query, result);
        }),
      );
      // The sweep settles rows no platform track takes (it leaves every subscribed channel alone).
      return queueOnce(SWEEP_TRACK, 'retry', async () => {
        await Promise.all(parts);
        const worked = new Set<string>([...((await (listed ??= subscribedByPlatform())).values() ?? [])].flat());
        await runTrack(SWEEP_TRACK, undefined, query, result, worked);
      });
    },
    /** One pass over due rows, one track per platform. A track's passes run one after another. */
    tick(query: TickQuery = {}): Promise<TickResult> {
      return tick(query);
    },
    /** Resolves when every pass asked for so far is done. */
    idle(): Promise<void> {
      return tracks.idle();
    },
  };
}
