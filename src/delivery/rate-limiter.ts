export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/** A granted slot. Call `done` once the request has been answered (or has failed). */
export interface RateLimitSlot {
  /** Milliseconds spent waiting for the slot. */
  waitedMs: number;
  done(): void;
}

export interface RateLimiter {
  /** Wait for a slot for `channel` (and the global one). */
  acquire(channel: string): Promise<RateLimitSlot>;
  /** Hold every request until `ms` from now (a global 429). */
  pauseAll(ms: number): void;
}

export interface RateLimiterOptions {
  global?: RateLimit;
  perChannel?: RateLimit;
  /**
   * The global window is stretched by this fraction (default 0.03: 50 per 1,030 ms). Global slots
   * count from their grant, and the request reaches the platform a little after it (the client's
   * queue, the socket, a busy event loop); the stretch covers that lag.
   */
  globalMargin?: number;
  now?: () => number;
  /** A clock's sleep (tests); default a real timer. */
  wait?: (ms: number) => Promise<void>;
}

/** A slot whose `done` never came (a hung request) stops counting as in flight after this long. */
const IN_FLIGHT_MAX_MS = 30_000;

/** Channels remembered before idle ones are forgotten (a pass over the map, amortised). */
const MAX_IDLE_CHANNELS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Slot {
  granted: number;
  /** When the answer came; undefined while in flight. */
  answered?: number;
}

/**
 * Sliding-window limiter: a global window and one per channel.
 *
 * Global slots (Discord's 50/s per bot, a Slack workspace's rate) count from their grant, in a
 * window stretched by `globalMargin`: the platform counts arrivals, and a request arrives right
 * after its grant, so a whole window may go at once and the next starts one stretched window
 * later. Counting them until the answer instead cost a round trip per window: 0.83 of 50/s at
 * 100 ms latency. Spacing them evenly cost the burst a window allows: N posts then span
 * (N − 1) / 50 s rather than (N / 50 − 1) s.
 *
 * A channel's slot counts until `windowMs` after its answer: Slack's one post per second per
 * channel leaves no room for lag, and the answer comes after the arrival, whatever the jitter.
 * Slots are reserved when granted, so concurrent callers never overshoot.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? sleep;
  /** Grant times of global slots, oldest first. */
  const globalGrants: number[] = [];
  const channelSlots = new Map<string, Slot[]>();
  const globalWindow = options.global ? options.global.windowMs * (1 + (options.globalMargin ?? 0.03)) : 0;
  let pausedUntil = 0;

  /** When the global window next has room (−∞: now), after dropping grants that left it. */
  function globalRoomAt(t: number): number {
    const limit = options.global;
    if (!limit) return -Infinity;
    let expired = 0;
    while (expired < globalGrants.length && globalGrants[expired]! <= t - globalWindow) expired += 1;
    if (expired > 0) globalGrants.splice(0, expired);
    if (globalGrants.length < limit.limit) return -Infinity;
    return globalGrants[globalGrants.length - limit.limit]! + globalWindow;
  }

  /**
   * When a channel slot's window starts: its answer, or for a request still in flight "now" (the
   * answer can only come later, so a wait computed from it is never too long; the caller re-checks).
   */
  const endOf = (slot: Slot, t: number) => slot.answered ?? Math.min(t, slot.granted + IN_FLIGHT_MAX_MS);

  /** When a channel's `slots` next have room (−∞: now), after dropping slots out of the window. */
  function channelRoomAt(slots: Slot[], t: number): number {
    const limit = options.perChannel;
    if (!limit) return -Infinity;
    for (let i = slots.length - 1; i >= 0; i -= 1) if (endOf(slots[i]!, t) <= t - limit.windowMs) slots.splice(i, 1);
    if (slots.length < limit.limit) return -Infinity;
    const ends = slots.map((slot) => endOf(slot, t)).sort((a, b) => a - b);
    return ends[slots.length - limit.limit]! + limit.windowMs;
  }

  /** Drop channels whose every slot has left the window: they would allow a full burst anyway. */
  function forgetIdle(t: number): void {
    const windowMs = options.perChannel?.windowMs ?? 0;
    for (const [key, slots] of channelSlots) if (slots.every((slot) => endOf(slot, t) <= t - windowMs)) channelSlots.delete(key);
  }

  return {
    async acquire(channel) {
      const started = now();
      for (;;) {
        // Looked up on every pass: forgetIdle may have dropped it while this caller waited.
        let slots = channelSlots.get(channel);
        if (!slots) channelSlots.set(channel, (slots = []));
        const t = now();
        const ready = Math.max(pausedUntil, globalRoomAt(t), channelRoomAt(slots, t));
        if (ready <= t) {
          const slot: Slot = { granted: t };
          if (options.global) globalGrants.push(t);
          if (options.perChannel) slots.push(slot);
          if (channelSlots.size > MAX_IDLE_CHANNELS) forgetIdle(t);
          return {
            waitedMs: t - started,
            done() {
              slot.answered ??= now();
            },
          };
        }
        await wait(Math.max(1, Math.ceil(ready - t)));
      }
    },
    pauseAll(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}
