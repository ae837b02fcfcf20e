import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { RateSlotStore } from '../store/ports.js';
import { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter.js';

export interface SharedRateLimiterOptions {
  slots: RateSlotStore;
  /** The limit's name in the database: one per platform (the bot's global or workspace limit). */
  key: string;
  global: RateLimit;
  /**
   * Per channel. Kept in this process, and with `sharePerChannel` in the database too: a channel
   * is claimed by one replica at a time (claim-loop.ts), and Discord's own per-channel buckets
   * come back in every answer's X-RateLimit headers, so discord.js sees what the others spent.
   */
  perChannel?: RateLimit;
  /**
   * Keep the per-channel limit in the database as well, evenly spaced. For Slack: it says nothing
   * about a channel's budget until it answers 429, and a channel can move between replicas.
   */
  sharePerChannel?: boolean;
  /**
   * The window is stretched by this fraction: a lane's next request leaves at least one stretched
   * window after its last one left, and the stretch covers how much the trip to the platform
   * varies (the same 3% as the in-process limiter). Lateness needs no margin: a lane is held
   * until its request has left. Booking lanes ahead needed 12%, and even then a request that left
   * late could share a window with its lane's next booked slot.
   */
  margin?: number;
  /**
   * How long a lane stays held without word from its holder (a replica killed mid-request): the
   * lane is then free again, one stretched window after the lease's end. Default 5 s.
   */
  leaseMs?: number;
  log: Logger;
  wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * While lanes come free: up to this many lanes asked for in one statement, and this many statements
 * out at once (a fan-out's first window took its 50 lanes a statement each, 16 at a time, and left
 * over 0.3 s late). When none is free, one statement polls for one lane.
 */
const LANES_PER_TAKE = 16;
const PARALLEL_TAKES = 4;
/**
 * Between polls while every lane is held: 20 ms, doubling while polls find nothing, up to 100 ms.
 * A lane is freed when its request is answered, most of a window before its next slot, so finding
 * it 100 ms later costs no slot; polling every 20 ms throughout cost each replica 50 statements a
 * second for nothing (a lane freed here is asked for at once, without waiting for a poll).
 */
const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 100;

interface Waiter {
  resolve(lane: { lane: string; waitMs: number }): void;
  reject(err: unknown): void;
}

/**
 * A limiter shared by every replica through the database. The global limit of N per window is N
 * lanes, each a row: a request holds a lane from its grant until it has left, and the lane's next
 * slot is one stretched window after that leave. However late a request leaves (discord.js's
 * queue, a stalled event loop), a lane's consecutive requests are a window apart, so any window
 * holds at most N, and a whole window may go at once (a burst is what the platform allows). A
 * holder that dies frees its lane after a lease. The per-channel window stays in process, beside it.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): RateLimiter {
  const wait = options.wait ?? sleep;
  const sharedChannel = options.sharePerChannel && options.perChannel ? options.perChannel : undefined;
  // The in-process window stays even when the database spaces a channel too: it counts from the
  // answer, so one replica's own posts stay a full window apart whatever their grant-to-arrival
  // jitter (spacing by grant alone let Slack see two posts 996 ms apart and answer 429).
  const local = createRateLimiter({ perChannel: options.perChannel, wait });
  const margin = options.margin ?? 0.03;
  // Channel grants are spaced but not held, so they keep a wider margin against jitter.
  const channelGapMs = sharedChannel
    ? (sharedChannel.windowMs / sharedChannel.limit) * (1 + Math.max(margin, 0.12))
    : 0;
  const laneCount = Math.max(1, Math.floor(options.global.limit));
  const lanes = Array.from({ length: laneCount }, (_, index) => `${options.key}#${index}`);
  const gapMs = options.global.windowMs * (1 + margin);
  const leaseMs = options.leaseMs ?? 5_000;
  const holder = `${options.key}:${process.pid}:${randomBytes(4).toString('hex')}`;

  const waiters: Waiter[] = [];
  /** Waiters that statements in flight are asking lanes for, and those statements. */
  let taking = 0;
  let takes = 0;
  let starved = false;
  let emptyPolls = 0;
  let polling: ReturnType<typeof setTimeout> | undefined;

  /** Ask for lanes while requests wait: many at once while lanes come free, one poll when none is. */
  function pump(): void {
    while (waiters.length > taking && takes < (starved ? 1 : PARALLEL_TAKES) && !polling) {
      const count = starved ? 1 : Math.min(LANES_PER_TAKE, waiters.length - taking);
      taking += count;
      takes += 1;
      void take(count);
    }
  }

  async function take(count: number): Promise<void> {
    let got: Awaited<ReturnType<RateSlotStore['hold']>>;
    try {
      got = await options.slots.hold(lanes, holder, { gapMs, leaseMs, count });
    } catch (err) {
      taking -= count;
      takes -= 1;
      // The database is away: the request waiting longest fails (it is retried later), the others ask again.
      waiters.shift()?.reject(err);
      pump();
      return;
    }
    taking -= count;
    takes -= 1;
    if (got.length === 0) {
      starved = true;
      polling ??= setTimeout(
        () => {
          polling = undefined;
          pump();
        },
        Math.min(MAX_POLL_MS, FIRST_POLL_MS * 2 ** emptyPolls),
      );
      emptyPolls = Math.min(emptyPolls + 1, 8);
      return;
    }
    starved = false;
    emptyPolls = 0;
    // Soonest slot first, to the requests that have waited longest.
    for (const lane of got) {
      if (lane.expired) options.log.info({ lane: lane.lane }, "took over a rate lane whose holder's lease ran out");
      const waiter = waiters.shift();
      if (waiter) waiter.resolve(lane);
      else letGo(lane.lane, undefined);
    }
    pump();
  }

  function letGo(lane: string, sinceLeftMs: number | undefined): void {
    options.slots
      .release(lane, holder, { gapMs, ...(sinceLeftMs === undefined ? {} : { sinceLeftMs }) })
      .then((ours) => {
        if (!ours)
          options.log.warn({ lane }, 'a rate lane was taken over while its request was out (its lease ran out)');
      })
      .catch((err: unknown) => {
        // The lease frees it: the lane then waits a window past the lease, after any request of ours.
        options.log.warn({ err, lane }, 'could not release a rate lane; it is freed when its lease runs out');
      })
      .finally(() => {
        // A lane just freed here is likely the next one free: ask now rather than at the next poll.
        if (polling) {
          clearTimeout(polling);
          polling = undefined;
          starved = false;
        }
        pump();
      });
  }

  const holdLane = () =>
    new Promise<{ lane: string; waitMs: number }>((resolve, reject) => {
      waiters.push({ resolve, reject });
      pump();
    });

  return {
    async acquire(channel) {
      const started = performance.now();
      const slot = await local.acquire(channel);
      let lane: string;
      try {
        if (sharedChannel) {
          const { waitMs } = await options.slots.take(`${options.key}:${channel}`, channelGapMs);
          if (waitMs >= 1) await wait(Math.ceil(waitMs));
        }
        const held = await holdLane();
        lane = held.lane;
        if (held.waitMs >= 1) await wait(Math.ceil(held.waitMs));
      } catch (err) {
        slot.done();
        throw err;
      }
      // Held until the answer, from the latest leave: discord.js resends by itself after a 429 and
      // sends a queued request late, and each send is nearer the wire than the last. A request that
      // hangs keeps its lane until the lease runs out.
      let leftAt: number | undefined;
      let released = false;
      return {
        waitedMs: performance.now() - started,
        sent() {
          slot.sent();
          if (!released) {
            leftAt = performance.now();
            return;
          }
          // Left after its answer (a caller that got the order wrong): push the lane on from now.
          options.slots.pause([lane], gapMs).catch((err: unknown) => {
            options.log.warn({ err, lane }, 'could not push a lane past a resent request');
          });
        },
        done() {
          slot.done();
          if (released) return;
          released = true;
          letGo(lane, leftAt === undefined ? undefined : performance.now() - leftAt);
        },
      };
    },
    pauseAll(ms) {
      // Every replica holds off, not just the one that met the 429: every lane is paused, in one
      // statement (one per lane took long enough on a loaded machine for other replicas to send meanwhile).
      options.slots.pause(lanes, ms).catch((err: unknown) => {
        options.log.warn({ err, key: options.key }, 'could not share a rate-limit pause');
      });
    },
  };
}
