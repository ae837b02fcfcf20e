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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sliding-window limiter: a global window and one per channel. Slots are reserved at the moment
 * they are granted, so concurrent callers never overshoot; a caller waits for the earliest time
 * both windows have room.
 */
export function createRateLimiter(options: { global?: RateLimit; perChannel?: RateLimit; now?: () => number; wait?: (ms: number) => Promise<void> }): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? sleep;
  const globalStarts: number[] = [];
  const channelStarts = new Map<string, number[]>();
  let pausedUntil = 0;

  /** The earliest time ≥ t at which `starts` has room under `limit`, after dropping stale entries. */
  function earliest(starts: number[], limit: RateLimit | undefined, t: number): number {
    if (!limit) return t;
    while (starts.length > 0 && starts[0]! <= t - limit.windowMs) starts.shift();
    if (starts.length < limit.limit) return t;
    return starts[starts.length - limit.limit]! + limit.windowMs;
  }

  return {
    async acquire(channel) {
      const started = now();
      let channelList = channelStarts.get(channel);
      if (!channelList) channelStarts.set(channel, (channelList = []));
      for (;;) {
        const t = Math.max(now(), pausedUntil);
        const at = Math.max(earliest(globalStarts, options.global, t), earliest(channelList, options.perChannel, t));
        if (at <= now()) {
          globalStarts.push(at);
          channelList.push(at);
          if (channelStarts.size > 10_000) for (const [key, list] of channelStarts) if (list.length === 0) channelStarts.delete(key);
          return now() - started;
        }
        await wait(Math.max(1, Math.ceil(at - now())));
      }
    },
    pauseAll(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
