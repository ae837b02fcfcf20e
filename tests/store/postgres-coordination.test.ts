import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedRateLimiter } from '../../src/delivery/shared-rate-limiter.js';
import { openPostgresStores, type PostgresStores } from '../../src/store/postgres-open.js';
import { silentLog } from '../support/runtime.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';

const plan = postgresPlanFor('PostgreSQL coordination tests');

/** What replicas share besides the ledger: one-at-a-time locks with once-per-fire, and rate-limit slots. */
describe.skipIf(plan.kind === 'none')('postgres coordination between replicas', () => {
  let server: TestPostgres;
  const opened: PostgresStores[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((stores) => stores.close()));
    await server?.close();
  });

  async function replicas(count: number, schema?: string): Promise<PostgresStores[]> {
    const shared = schema ?? (await server.freshSchema());
    const list = await Promise.all(
      Array.from({ length: count }, () => openPostgresStores(server.url, { schema: shared, poolSize: 3 })),
    );
    opened.push(...list);
    return list;
  }

  it('runs a keyed task on one replica at a time; other keys and other schemas are not blocked', async () => {
    const [a, b] = await replicas(2);
    const [elsewhere] = await replicas(1);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = a!.locks!.tryRun('tick', async () => {
      await held;
      return 'a ran';
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await b!.locks!.tryRun('tick', async () => 'b ran')).toEqual({ ran: false });
    expect(await b!.locks!.tryRun('retry', async () => 'b ran')).toEqual({ ran: true, value: 'b ran' });
    expect(await elsewhere!.locks!.tryRun('tick', async () => 'other schema')).toEqual({
      ran: true,
      value: 'other schema',
    });
    release();
    expect(await first).toEqual({ ran: true, value: 'a ran' });
    expect(await b!.locks!.tryRun('tick', async () => 'b ran')).toEqual({ ran: true, value: 'b ran' });
  });

  it('runs each fire once: a replica that fires after another finished the same instant skips it', async () => {
    const [a, b, c] = await replicas(3);
    const fire = '2030-01-01T00:00:01.000Z';
    const ran: string[] = [];
    for (const [name, stores] of [
      ['a', a],
      ['b', b],
      ['c', c],
    ] as const)
      await stores!.locks!.tryRun('tick', async () => ran.push(name), { fire, owner: name });
    expect(ran).toEqual(['a']);
    await c!.locks!.tryRun('tick', async () => ran.push('c'), { fire: '2030-01-01T00:00:02.000Z', owner: 'c' });
    // An older fire (a clock behind) never runs after a newer one.
    await b!.locks!.tryRun('tick', async () => ran.push('b'), { fire: '2030-01-01T00:00:01.000Z', owner: 'b' });
    expect(ran).toEqual(['a', 'c']);
    const [row] = await a!.db.query<{ ran_by: string }>(`SELECT ran_by FROM schedule_runs WHERE key = 'tick'`);
    expect(row?.ran_by).toBe('c');
  });

  it('frees the lock of a replica whose connection died, and the dead holder cleans up without throwing', async () => {
    const [a, b] = await replicas(2);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const dying = a!.locks!.tryRun('tick', async () => {
      await held;
      return 'finished anyway';
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await b!.locks!.tryRun('tick', async () => 1)).ran).toBe(false);
    const killed = await b!.db.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid() AND granted`,
    );
    expect(killed[0]!.n).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await b!.locks!.tryRun('tick', async () => 'b took over')).toEqual({ ran: true, value: 'b took over' });
    release();
    expect(await dying).toEqual({ ran: true, value: 'finished anyway' });
    // The pool replaced the dead connection.
    expect(await a!.locks!.tryRun('tick', async () => 'a again')).toEqual({ ran: true, value: 'a again' });
  });

  it('hands out evenly spaced rate slots across replicas, and a pause holds them all', async () => {
    const stores = await replicas(3);
    const gap = 20;
    // Each slot's time as the database hands it out: the client's clock under load (arrival of the
    // answer plus the wait it names) jitters by more than a gap, so spacing is measured where it is set.
    const slots = await Promise.all(
      Array.from({ length: 30 }, (_, i) => stores[i % 3]!.rateSlots!.take('discord', gap).then((slot) => slot.slotAt)),
    );
    // 30 slots taken at once by three replicas: never two together, each at least a gap after the
    // one before (a shared or double-booked slot would show as a gap near 0).
    const sorted = slots.sort((x, y) => x - y);
    const gaps = sorted.slice(1).map((slot, i) => slot - sorted[i]!);
    expect(new Set(slots).size).toBe(30);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(gap - 0.001);
    // Taken together, they follow one another rather than drifting apart: 29 gaps in well under a second.
    expect(sorted[29]! - sorted[0]!).toBeLessThan(29 * gap + 500);
    await stores[0]!.rateSlots!.pause(['slack', 'slack-too'], 500);
    expect((await stores[1]!.rateSlots!.take('slack', gap)).waitMs).toBeGreaterThan(400);
    expect((await stores[1]!.rateSlots!.take('slack-too', gap)).waitMs).toBeGreaterThan(400);
    // Keys are separate limits.
    expect((await stores[2]!.rateSlots!.take('other', gap)).waitMs).toBe(0);
  });

  it('keeps a Slack channel to one post a second across replicas, and other channels are not held up', async () => {
    const stores = await replicas(3);
    const limiters = stores.map((replica) =>
      createSharedRateLimiter({
        slots: replica.rateSlots!,
        key: 'slack',
        global: { limit: 20, windowMs: 1_000 },
        perChannel: { limit: 1, windowMs: 1_000 },
        sharePerChannel: true,
        log: silentLog,
      }),
    );
    const started = performance.now();
    // Three replicas each post once to the same channel, and once to a channel of their own.
    const granted = await Promise.all(
      limiters.flatMap((limiter, i) => [
        limiter
          .acquire('slack:CSAME')
          .then((slot) => (slot.done(), { channel: 'same', at: performance.now() - started })),
        limiter
          .acquire(`slack:COWN${i}`)
          .then((slot) => (slot.done(), { channel: 'own', at: performance.now() - started })),
      ]),
    );
    const same = granted
      .filter((grant) => grant.channel === 'same')
      .map((grant) => grant.at)
      .sort((a, b) => a - b);
    expect(same[1]! - same[0]!).toBeGreaterThan(900);
    expect(same[2]! - same[1]!).toBeGreaterThan(900);
    expect(Math.max(...granted.filter((grant) => grant.channel === 'own').map((grant) => grant.at))).toBeLessThan(900);
  });

  it("grants rate lanes while every connection of the store's pool is busy (lanes have connections of their own)", async () => {
    const [stores] = await replicas(1);
    const finished: string[] = [];
    // Every pooled connection (3) sleeps for 2 s, and more statements queue behind them.
    const busy = Array.from({ length: 6 }, () =>
      stores!.db.query('SELECT pg_sleep(2)').then(() => finished.push('busy')),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lanes = await stores!.rateSlots!.hold(['lane#0', 'lane#1'], 'test', {
      gapMs: 1_000,
      leaseMs: 5_000,
      count: 2,
    });
    finished.push('lanes');
    expect(lanes.map((lane) => lane.lane).sort()).toEqual(['lane#0', 'lane#1']);
    await Promise.all(busy);
    // Queued behind the sleeping statements, the lanes would have come last.
    expect(finished[0]).toBe('lanes');
  });
});
