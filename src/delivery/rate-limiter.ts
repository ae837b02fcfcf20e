export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/** A granted slot. Call `sent` as the request leaves, `done` once it has been answered (or has failed). */
export interface RateLimitSlot {
  /** Milliseconds spent waiting for the slot. */
  waitedMs: number;
  /** The request is leaving now; a later call (nearer the wire) replaces an earlier one. */
  sent(): void;
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
   * count from when the request left, and it reaches the platform a little after (the network, the
   * platform's own receive queue); the stretch covers how much that lag varies. At 0.02 a loaded
   * host (load 9 on 2 cores) saw 22 global 429s in 500 posts; at 0.03, none.
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
  /** When the request left, as near the wire as the caller could tell. */
  sent?: number;
  /** When the answer came; undefined while in flight. */
  answered?: number;
}

/**
 * Sliding-window limiter: a global window and one per channel.
 *
 * Global slots (Discord's 50/s per bot, a Slack workspace's rate) count from the moment the
 * request left (`sent`), in a window stretched by `globalMargin`: the platform counts arrivals,
 * which follow within a millisecond or so on a good network, so a whole window may go at once and
 * the next starts one stretched window later. A slot not yet sent counts as leaving "now" (it can
 * only leave later; the caller re-checks), and one never marked sent counts from its answer.
 * Counting every slot until its answer cost a round trip per window: 0.83 of 50/s at 100 ms
 * latency. Spacing slots evenly cost the burst a window allows: N posts then span (N − 1) / 50 s
 * rather than (N / 50 − 1) s.
 *
 * A channel's slot counts until `windowMs` after its answer: Slack's one post per second per
 * channel leaves no room for lag, and the answer comes after the arrival, whatever the jitter.
 * Slots are reserved when granted, so concurrent callers never overshoot.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now());
  const wait = options.wait ?? sleep;
  const globalSlots: Slot[] = [];
  const channelSlots = new Map<string, Slot[]>();
  const globalWindow = options.global ? options.global.windowMs * (1 + (options.globalMargin ?? 0.03)) : 0;
  let pausedUntil = 0;

  /** Where a global slot's window starts: it left, or was answered, or (in flight) "now". */
  const startOf = (slot: Slot, t: number) => slot.sent ?? slot.answered ?? Math.min(t, slot.granted + IN_FLIGHT_MAX_MS);

  /** When the global window next has room (−∞: now), after dropping slots that left it. */
  function globalRoomAt(t: number): number {
    const limit = options.global;
    if (!limit) return -Infinity;
    for (let i = globalSlots.length - 1; i >= 0; i -= 1) {
      if (startOf(globalSlots[i]!, t) <= t - globalWindow) globalSlots.splice(i, 1);
    }
    if (globalSlots.length < limit.limit) return -Infinity;
    const starts = globalSlots.map((slot) => startOf(slot, t)).sort((a, b) => a - b);
    return starts[globalSlots.length - limit.limit]! + globalWindow;
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
    for (const [key, slots] of channelSlots)
      if (slots.every((slot) => endOf(slot, t) <= t - windowMs)) channelSlots.delete(key);
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
          if (options.global) globalSlots.push(slot);
          if (options.perChannel) slots.push(slot);
          if (channelSlots.size > MAX_IDLE_CHANNELS) forgetIdle(t);
          return {
            waitedMs: t - started,
            sent() {
              if (slot.answered === undefined) slot.sent = now();
            },
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
