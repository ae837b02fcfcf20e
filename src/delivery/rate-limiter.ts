export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  /** Wait for a slot for `channel` (and the global one). Resolves with the milliseconds waited. */
  acquire(channel: string): Promise<number>;
  /** Hold every request until `ms` from now (a global 429). */
  pauseAll(ms: number): void;
}

/** Channels remembered before idle ones are forgotten (a pass over the map, amortised). */
const MAX_IDLE_CHANNELS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RateLimiterOptions {
  global?: RateLimit;
  perChannel?: RateLimit;
  /**
   * Global slots are spread evenly, `windowMs / limit` apart, stretched by this fraction.
   * A burst of the whole window at once arrives at the platform with jitter (queueing, the
   * ledger write before each request), and a platform that counts by arrival then sees one
   * request too many and answers 429; an even pace with a few percent to spare never does.
   * Default 0.04 (Discord: 48 per second against 50).
   */
  globalMargin?: number;
  now?: () => number;
  wait?: (ms: number) => Promise<void>;
}

/**
 * Sliding-window limiter: a global window and one per channel. Slots are reserved at the moment
 * they are granted, so concurrent callers never overshoot; a caller waits for the earliest time
 * both windows have room. Global slots are also paced evenly (see `globalMargin`); a channel
 * may burst up to its own limit.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? sleep;
  const globalStarts: number[] = [];
  const channelStarts = new Map<string, number[]>();
  const globalGap = options.global ? (options.global.windowMs / options.global.limit) * (1 + (options.globalMargin ?? 0.04)) : 0;
  let nextGlobal = -Infinity;
  let pausedUntil = 0;

  /** When `starts` next has room under `limit` (−∞: it has room now), after dropping entries older than the window. */
  function roomAt(starts: number[], limit: RateLimit | undefined, t: number): number {
    if (!limit) return -Infinity;
    while (starts.length > 0 && starts[0]! <= t - limit.windowMs) starts.shift();
    if (starts.length < limit.limit) return -Infinity;
    return starts[starts.length - limit.limit]! + limit.windowMs;
  }

  /** Drop channels whose every slot has left the window: they would allow a full burst anyway. */
  function forgetIdle(t: number): void {
    const windowMs = options.perChannel?.windowMs ?? 0;
    for (const [key, list] of channelStarts) if (list.length === 0 || list[list.length - 1]! <= t - windowMs) channelStarts.delete(key);
  }

  return {
    async acquire(channel) {
      const started = now();
      for (;;) {
        // Looked up on every pass: forgetIdle may have dropped it while this caller waited.
        let channelList = channelStarts.get(channel);
        if (!channelList) channelStarts.set(channel, (channelList = []));
        const t = now();
        const ready = Math.max(pausedUntil, nextGlobal, roomAt(globalStarts, options.global, t), roomAt(channelList, options.perChannel, t));
        if (ready <= t) {
          // The pace is kept from the slot's due time, not from when a late timer woke us, so
          // timer lateness does not add up; after an idle spell it restarts from now.
          nextGlobal = Math.max(ready, t - globalGap) + globalGap;
          if (options.global) globalStarts.push(t);
          if (options.perChannel) channelList.push(t);
          if (channelStarts.size > MAX_IDLE_CHANNELS) forgetIdle(t);
          return t - started;
        }
        await wait(Math.max(1, Math.ceil(ready - t)));
      }
    },
    pauseAll(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
