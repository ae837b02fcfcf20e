import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedRateLimiter } from '../../src/delivery/shared-rate-limiter.js';
import { openPostgresStores, type PostgresStores } from '../../src/store/postgres-open.js';
import { silentLog } from '../support/runtime.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { mostInAnyWindow } from '../support/windows.js';

const plan = postgresPlanFor('shared rate limiter tests');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Discord's 50/s kept by three replicas through one PostgreSQL: 50 lanes, a window at a time. */
describe.skipIf(plan.kind === 'none')('the shared rate limiter (PostgreSQL, three replicas)', () => {
  let server: TestPostgres;
  const opened: PostgresStores[] = [];
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(opened.map((stores) => stores.close()));
    await server?.close();
  });

  async function limiters(count: number, global = { limit: 50, windowMs: 1_000 }, leaseMs?: number) {
    const { limiters } = await replicas(count, global, leaseMs);
    return limiters;
  }

  async function replicas(count: number, global = { limit: 50, windowMs: 1_000 }, leaseMs?: number) {
    const schema = await server.freshSchema();
    const stores = await Promise.all(
      Array.from({ length: count }, () => openPostgresStores(server.url, { schema, poolSize: 4 })),
    );
    opened.push(...stores);
    const limiters = stores.map((replica) =>
      createSharedRateLimiter({
        slots: replica.rateSlots!,
        key: 'discord',
        global,
        log: silentLog,
        ...(leaseMs ? { leaseMs } : {}),
      }),
    );
    return { stores, limiters };
  }

  it('counts a lane from when its request left: requests that leave late never crowd one window', async () => {
    // Five lanes, two replicas; every request leaves 0–400 ms after its grant (a queue in the SDK, a
    // stalled loop), and some leave again (the SDK's own resend). Booking a lane's next slot before
    // the last request had left let a late one land within a window of the next.
    const shared = await limiters(2, { limit: 5, windowMs: 1_000 });
    const leaves: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const slot = await shared[i % 2]!.acquire(`discord:${i}`);
        slot.sent();
        await sleep(Math.round(Math.random() * 400));
        if (i % 3 === 0) {
          slot.sent();
          await sleep(Math.round(Math.random() * 200));
        }
        slot.sent();
        leaves.push(performance.now() - started);
        await sleep(30);
        slot.done();
      }),
    );
    leaves.sort((a, b) => a - b);
    expect(leaves).toHaveLength(30);
    expect(mostInAnyWindow(leaves, 1_000)).toBeLessThanOrEqual(5);
    // Still a lane-window each: 30 requests over 5 lanes is six rounds, not a crawl.
    expect(leaves[29]!).toBeLessThan(12_000);
  });

  it('a holder that dies frees its lane after the lease, one window past the lease', async () => {
    const [dead, alive] = await limiters(2, { limit: 2, windowMs: 1_000 }, 800);
    const started = performance.now();
    // Both lanes are taken and their requests leave, and then the holder is gone: no done, ever.
    for (const channel of ['discord:1', 'discord:2']) (await dead!.acquire(channel)).sent();
    const slot = await alive!.acquire('discord:3');
    const waited = performance.now() - started;
    slot.done();
    // Not before the lease (800 ms) plus a stretched window; and not forever.
    expect(waited).toBeGreaterThan(1_700);
    expect(waited).toBeLessThan(6_000);
  });

  it('lets a whole window go at once across replicas, then holds the next one; never 51 in a window', async () => {
    // A 2 s window: 50 grants through three replicas' database round trips fit well inside 70% of it
    // on a loaded machine too (a 1 s window's 700 ms was missed there), and even spacing still cannot.
    const windowMs = 2_000;
    const shared = await limiters(3, { limit: 50, windowMs });
    const started = performance.now();
    const grants = await Promise.all(
      Array.from({ length: 150 }, async (_, i) => {
        const slot = await shared[i % 3]!.acquire(`discord:${i}`);
        slot.sent();
        slot.done();
        return performance.now() - started;
      }),
    );
    grants.sort((a, b) => a - b);
    expect(mostInAnyWindow(grants, windowMs)).toBeLessThanOrEqual(50);
    // A window's worth together (evenly spaced slots would need a whole window for them)...
    expect(grants[49]! - grants[0]!).toBeLessThan(0.7 * windowMs);
    // ...and three windows' worth in about three windows, not more: replicas share, not multiply.
    expect(grants[149]!).toBeGreaterThan(2 * windowMs);
    expect(grants[149]!).toBeLessThan(3.5 * windowMs);
  });

  it('a global 429 on one replica pauses every lane for all of them', async () => {
    const { stores, limiters: pair } = await replicas(2);
    const [a, b] = pair;
    (await a!.acquire('discord:1')).done();
    a!.pauseAll(1_500);
    // The pause is written in the background, every lane in one statement: wait until it is there.
    const pausedFor = async () =>
      (
        await stores[1]!.db.query<{ ms: number }>(
          `SELECT min(next_at) - extract(epoch from clock_timestamp()) * 1000 AS ms FROM rate_slots WHERE key LIKE 'discord#%'`,
        )
      )[0]?.ms ?? 0;
    for (let left = 0; left <= 0; left = Number(await pausedFor())) await sleep(10);
    const started = performance.now();
    const waited = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => (await b!.acquire(`discord:${10 + i}`), performance.now() - started)),
    );
    expect(Math.min(...waited)).toBeGreaterThan(800);
  });
});
