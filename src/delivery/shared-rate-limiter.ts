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
   * The window is stretched by this fraction. Requests from several processes reach the platform
   * with more lag after their slot (each its own event loop and connection) than one process's,
   * so the margin is wider than the in-process limiter's 3%. Default 0.12: at 0.04 three replicas on a
   * host at load 16 met 7 global 429s across a PostgreSQL restart, and at 0.06 one or two still came
   * through on a busy CI machine. Correctness first; lanes that are held until the request has left
   * would let it shrink again.
   */
  margin?: number;
  log: Logger;
  wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A limiter shared by every replica through the database. The global limit of N per window is N
 * lanes, each a row that all replicas move on atomically: a lane grants one slot per stretched
 * window, so any window holds at most N slots, and a whole window may go at once (a burst is what
 * the platform allows; evenly spaced slots would cost a window per fan-out). Each process takes
 * lanes in turn; a lane another replica just used books its next slot, so every lane stays busy
 * while there is work. The per-channel window stays in process, beside it.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): RateLimiter {
  const wait = options.wait ?? sleep;
  const sharedChannel = options.sharePerChannel && options.perChannel ? options.perChannel : undefined;
  // The in-process window stays even when the database spaces a channel too: it counts from the
  // answer, so one replica's own posts stay a full window apart whatever their grant-to-arrival
  // jitter (spacing by grant alone let Slack see two posts 996 ms apart and answer 429).
  const local = createRateLimiter({ perChannel: options.perChannel, wait });
  const margin = options.margin ?? 0.12;
  // Between replicas only the grants are spaced, so the same margin as the global slots covers jitter.
  const channelGapMs = sharedChannel ? (sharedChannel.windowMs / sharedChannel.limit) * (1 + margin) : 0;
  const lanes = Math.max(1, Math.floor(options.global.limit));
  const laneGapMs = options.global.windowMs * (1 + margin);
  // Half the window's slack: lateness beyond it could put one slot too many in some window.
  const lateLimitMs = (options.global.windowMs * margin) / 2;
  // Replicas start on different lanes, so their first bursts do not queue on the same rows.
  let nextLane = Math.floor(Math.random() * lanes);
  const lane = () => {
    const key = `${options.key}#${nextLane}`;
    nextLane = (nextLane + 1) % lanes;
    return key;
  };
  return {
    async acquire(channel) {
      const started = performance.now();
      const slot = await local.acquire(channel);
      let laneKey = '';
      let slotAt = 0;
      try {
        if (sharedChannel) {
          const { waitMs } = await options.slots.take(`${options.key}:${channel}`, channelGapMs);
          if (waitMs >= 1) await wait(Math.ceil(waitMs));
        }
        // A slot we reach late (a stalled event loop, a slow round trip) would land among later
        // slots and crowd their window: take a fresh one instead. Bounded, so a busy host still moves.
        // Lateness is counted from the answer, not the question: a question queued for a pooled
        // connection is not late (its slot is set when the database runs it), and retrying it would
        // throw away a whole lane-window.
        for (let attempt = 0; ; attempt += 1) {
          laneKey = lane();
          const { waitMs } = await options.slots.take(laneKey, laneGapMs);
          const answered = performance.now();
          slotAt = answered + waitMs;
          if (waitMs >= 1) await wait(Math.ceil(waitMs));
          const lateMs = performance.now() - answered - waitMs;
          if (lateMs <= lateLimitMs || attempt >= 3) break;
        }
      } catch (err) {
        slot.done();
        throw err;
      }
      // The request may still leave late (discord.js's queue, a stalled loop): the lane's next slot
      // must then count from the leave, or the two would share one window. Pushing the lane on from
      // now (after the leave) covers any slot not yet booked on it.
      const sent = () => {
        slot.sent();
        if (performance.now() - slotAt <= lateLimitMs) return;
        options.slots.pause(laneKey, laneGapMs).catch((err: unknown) => {
          options.log.warn({ err, key: laneKey }, 'could not push a lane past a late request');
        });
      };
      return { waitedMs: performance.now() - started, sent, done: () => slot.done() };
    },
    pauseAll(ms) {
      // Every replica holds off, not just the one that met the 429: every lane is paused.
      const pauses = Array.from({ length: lanes }, (_, index) => options.slots.pause(`${options.key}#${index}`, ms));
      Promise.all(pauses).catch((err: unknown) => {
        options.log.warn({ err, key: options.key }, 'could not share a rate-limit pause');
      });
    },
  };
}
