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
   * Global slots are spread evenly, `windowMs / limit` apart, stretched by this fraction, so
   * the platform sees a steady pace rather than a burst of the whole window at once; the small
   * stretch keeps discord.js's own per-second window from ever holding a request. Default 0.02.
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
 * A slot counts against its windows from the moment it is granted until `windowMs` after the
 * request was answered, not after it was sent. Platforms count requests as they arrive, and
 * arrival lags the grant by a varying delay (the ledger write, the client's queue, the network,
 * a busy event loop); counting from the answer, which comes after the arrival, means any window
 * of arrivals holds at most `limit` requests, whatever the jitter. The cost is one round trip
 * per window. Slots are reserved when granted, so concurrent callers never overshoot.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? sleep;
  const globalSlots: Slot[] = [];
  const channelSlots = new Map<string, Slot[]>();
  const globalGap = options.global ? (options.global.windowMs / options.global.limit) * (1 + (options.globalMargin ?? 0.02)) : 0;
  let nextGlobal = -Infinity;
  let pausedUntil = 0;

  /**
   * When a slot's window starts: its answer, or for a request still in flight "now" (the answer
   * can only come later, so a wait computed from it is never too long; the caller re-checks).
   */
  const endOf = (slot: Slot, t: number) => slot.answered ?? Math.min(t, slot.granted + IN_FLIGHT_MAX_MS);

  /** When `slots` next has room under `limit` (−∞: it has room now), after dropping slots out of the window. */
  function roomAt(slots: Slot[], limit: RateLimit | undefined, t: number): number {
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
        const ready = Math.max(pausedUntil, nextGlobal, roomAt(globalSlots, options.global, t), roomAt(slots, options.perChannel, t));
        if (ready <= t) {
          // The pace is kept from the slot's due time, not from when a late timer woke us, so
          // timer lateness does not add up; after an idle spell it restarts from now.
          nextGlobal = Math.max(ready, t - globalGap) + globalGap;
          const slot: Slot = { granted: t };
          if (options.global) globalSlots.push(slot);
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
