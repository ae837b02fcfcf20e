import { describe, expect, it } from 'vitest';
import { createPageGate } from '../../src/ingest/fulltext/page-gate.js';
import { sleep } from '../support/poll.js';

describe('the page gate', () => {
  it('spaces starts over all hosts, runs one task per host at a time, and lets other hosts past a slow one', async () => {
    const gate = createPageGate({ maxPerSecond: 20 });
    const starts: { host: string; at: number }[] = [];
    const active = new Map<string, number>();
    let worst = 0;
    const task = (host: string, ms: number) => async () => {
      starts.push({ host, at: performance.now() });
      active.set(host, (active.get(host) ?? 0) + 1);
      worst = Math.max(worst, active.get(host)!);
      await sleep(ms);
      active.set(host, active.get(host)! - 1);
      return host;
    };
    const runs = [
      gate.run('slow', task('slow', 600)),
      gate.run('slow', task('slow', 600)),
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((host) => gate.run(host, task(host, 20))),
    ];
    expect(await Promise.all(runs)).toEqual(['slow', 'slow', 'a', 'b', 'c', 'd', 'e', 'f']);
    expect(worst).toBe(1);
    const times = starts.map((start) => start.at).sort((x, y) => x - y);
    // 20 a second: 50 ms between starts (a timer may fire a little early; none may start together).
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(40);
    // All six quick hosts started before the slow host's second task.
    const secondSlow = starts.filter((start) => start.host === 'slow')[1]!;
    expect(starts.filter((start) => start.host !== 'slow' && start.at < secondSlow.at)).toHaveLength(6);
    expect(gate.busyHosts()).toBe(0);
  });

  it('a failed task frees its host for the next one', async () => {
    const gate = createPageGate({ maxPerSecond: 100 });
    await expect(gate.run('h', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run('h', async () => 'next')).toBe('next');
  });
});
