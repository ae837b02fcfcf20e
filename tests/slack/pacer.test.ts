import { describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../src/platforms/slack/pacer.js';

/** A clock that only moves when the pacer sleeps, so the test reads the waits it asked for. */
function fakeTime() {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    sleeps,
  };
}

describe('per-channel pacing', () => {
  it('spaces posts to one channel by the interval and runs them in order', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    const started: Array<[string, number]> = [];
    const task = (label: string) => async () => {
      started.push([label, time.now()]);
      return label;
    };
    const results = await Promise.all([
      pacer.run('slack:C1', task('a')),
      pacer.run('slack:C1', task('b')),
      pacer.run('slack:C1', task('c')),
    ]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(started.map(([label]) => label)).toEqual(['a', 'b', 'c']);
    expect(started[1]![1] - started[0]![1]).toBe(1000);
    expect(started[2]![1] - started[1]![1]).toBe(1000);
  });

  it('does not make one channel wait for another', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    await pacer.run('slack:C1', async () => 1);
    await pacer.run('slack:C2', async () => 2);
    expect(time.sleeps).toEqual([]);
  });

  it('a failed task still holds its slot and does not block the next one', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    const failed = pacer.run('slack:C1', async () => {
      throw new Error('boom');
    });
    await expect(failed).rejects.toThrow('boom');
    await expect(pacer.run('slack:C1', async () => 'next')).resolves.toBe('next');
    expect(time.sleeps).toEqual([1000]);
  });

  it('after a pause (429 Retry-After) the channel waits until the pause ends', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    pacer.pause('slack:C1', time.now() + 7000);
    await pacer.run('slack:C1', async () => undefined);
    expect(time.sleeps).toEqual([7000]);
  });

  it('no wait once the interval has passed on its own', async () => {
    const time = fakeTime();
    const pacer = createChannelPacer({ intervalMs: 1000, now: time.now, sleep: time.sleep });
    await pacer.run('slack:C1', async () => undefined);
    time.advance(1500);
    await pacer.run('slack:C1', async () => undefined);
    expect(time.sleeps).toEqual([]);
  });
});
