import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiterOptions, type RateLimitSlot } from '../../src/delivery/rate-limiter.js';
import { mostInAnyWindow } from '../support/windows.js';

/** A virtual clock: `wait` parks a caller until `run` moves time to it. No real time passes. */
function virtualClock() {
  let t = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => t,
    wait: (ms: number) => new Promise<void>((resolve) => timers.push({ at: t + ms, resolve })),
    /** Fire timers in time order until `done` resolves. */
    async run<T>(done: Promise<T>): Promise<T> {
      let finished = false;
      const result = done.then((value) => {
        finished = true;
        return value;
      });
      for (let guard = 0; guard < 100_000; guard += 1) {
        await settle();
        if (finished) return result;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) continue;
        t = Math.max(t, next.at);
        next.resolve();
      }
      throw new Error('virtual clock: callers never finished');
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

function limiterOn(clock: ReturnType<typeof virtualClock>, options: Omit<RateLimiterOptions, 'now' | 'wait'>) {
  return createRateLimiter({ ...options, now: clock.now, wait: clock.wait });
}

describe('the rate limiter', () => {
  it('never grants more than N per window across many concurrent callers, and keeps them all moving', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { global: { limit: 10, windowMs: 1_000 } });
    const grants: number[] = [];
    const callers = Array.from({ length: 60 }, async (_, i) => {
      const slot = await limiter.acquire(`c${i}`);
      grants.push(clock.now());
      slot.done();
    });
    await clock.run(Promise.all(callers));
    expect(grants).toHaveLength(60);
    expect(mostInAnyWindow(grants, 1_000)).toBeLessThanOrEqual(10);
    // Not slower than the limit allows (plus the pacing margin): 60 grants need about 5 windows, not 10.
    expect(Math.max(...grants)).toBeLessThan(6_500);
  });

  it('grants a whole global window at once, then the next one a stretched window after the first', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { global: { limit: 50, windowMs: 1_000 }, globalMargin: 0.03 });
    const grants: number[] = [];
    await clock.run(
      Promise.all(
        Array.from({ length: 120 }, async (_, i) => {
          (await limiter.acquire(`c${i}`)).done();
          grants.push(clock.now());
        }),
      ),
    );
    grants.sort((a, b) => a - b);
    // A burst is what the platform's window allows, and what N / (first→last + 1 s) rewards.
    expect(grants.filter((t) => t === 0)).toHaveLength(50);
    expect(grants.filter((t) => t === 1_030)).toHaveLength(50);
    expect(grants.filter((t) => t === 2_060)).toHaveLength(20);
    // The stretch is the room for send-to-arrival lag: even 30 ms late, no window holds 51.
    expect(mostInAnyWindow(grants, 1_030)).toBeLessThanOrEqual(50);
  });

  it('holds one channel to its own limit while other channels go ahead', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { perChannel: { limit: 5, windowMs: 5_000 } });
    const busy: number[] = [];
    const other: number[] = [];
    await clock.run(
      Promise.all([
        ...Array.from({ length: 12 }, async () => {
          (await limiter.acquire('busy')).done();
          busy.push(clock.now());
        }),
        ...Array.from({ length: 3 }, async (_, i) => {
          (await limiter.acquire(`other${i}`)).done();
          other.push(clock.now());
        }),
      ]),
    );
    expect(mostInAnyWindow(busy, 5_000)).toBeLessThanOrEqual(5);
    // A channel may burst up to its limit: the first five go at once.
    expect(busy.filter((t) => t === 0)).toHaveLength(5);
    expect(other).toEqual([0, 0, 0]);
  });

  it('counts a slot until the request is answered: a slow answer delays the next slot', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { perChannel: { limit: 1, windowMs: 1_000 } });
    const first = await limiter.acquire('C1');
    clock.advance(700); // the request takes 700 ms to be answered
    first.done();
    let secondAt = -1;
    await clock.run(limiter.acquire('C1').then((slot) => ((secondAt = clock.now()), slot.done())));
    // 1,000 ms after the answer, not after the grant: the platform saw the first request arrive late.
    expect(secondAt).toBe(1_700);
  });

  it('a global slot counts from its send: a slow answer does not hold the next window back', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { global: { limit: 1, windowMs: 1_000 }, globalMargin: 0.03 });
    const held: RateLimitSlot = await limiter.acquire('a');
    held.sent();
    let gotAt = -1;
    const waiting = limiter.acquire('b').then((slot) => {
      gotAt = clock.now();
      slot.done();
    });
    // The first answer takes 2.5 s; the platform counted that request when it arrived, at 0.
    await clock.run(waiting);
    expect(gotAt).toBe(1_030);
    clock.advance(1_500);
    held.done();
  });

  it('pauseAll holds every caller until the pause is over (a global 429)', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, {
      global: { limit: 100, windowMs: 1_000 },
      perChannel: { limit: 5, windowMs: 5_000 },
    });
    (await limiter.acquire('x')).done();
    limiter.pauseAll(3_000);
    const grants: number[] = [];
    await clock.run(
      Promise.all(
        ['x', 'y', 'z'].map(async (channel) => {
          const slot = await limiter.acquire(channel);
          grants.push(clock.now());
          slot.done();
          return slot.waitedMs;
        }),
      ),
    );
    expect(Math.min(...grants)).toBeGreaterThanOrEqual(3_000);
  });

  it('reports how long a caller waited', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { perChannel: { limit: 1, windowMs: 1_000 } });
    const first = await limiter.acquire('C');
    first.done();
    expect(first.waitedMs).toBe(0);
    const second = await clock.run(limiter.acquire('C'));
    second.done();
    expect(second.waitedMs).toBe(1_000);
  });
});

describe('the rate limiter, counting from the send', () => {
  it('a global slot counts from when its request left, not from its grant: a request queued late moves the window', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { global: { limit: 1, windowMs: 1_000 }, globalMargin: 0 });
    const first = await limiter.acquire('a');
    clock.advance(300); // the client held it 300 ms before it left
    first.sent();
    let secondAt = -1;
    await clock.run(limiter.acquire('b').then((slot) => ((secondAt = clock.now()), slot.done())));
    expect(secondAt).toBe(1_300);
    first.done();
  });

  it('a slot granted but not yet sent holds the window until it is', async () => {
    const clock = virtualClock();
    const limiter = limiterOn(clock, { global: { limit: 1, windowMs: 1_000 }, globalMargin: 0 });
    const first = await limiter.acquire('a');
    let secondAt = -1;
    const second = limiter.acquire('b').then((slot) => ((secondAt = clock.now()), slot.done()));
    // It leaves only 2 s after its grant; the waiter must not go before 1 s after that.
    setTimeout(() => {
      clock.advance(2_000);
      first.sent();
    }, 5);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await clock.run(second);
    expect(secondAt).toBe(3_000);
  });
});
