import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSharedRateLimiter } from '../../src/delivery/shared-rate-limiter.js';
import { openPostgresStores, type PostgresStores } from '../../src/store/postgres-open.js';
import { silentLog } from '../support/runtime.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { mostInAnyWindow } from '../support/windows.js';

const plan = postgresPlanFor('shared rate limiter tests');

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

  async function limiters(count: number) {
    const schema = await server.freshSchema();
    const stores = await Promise.all(
      Array.from({ length: count }, () => openPostgresStores(server.url, { schema, poolSize: 4 })),
    );
    opened.push(...stores);
    return stores.map((replica) =>
      createSharedRateLimiter({
        slots: replica.rateSlots!,
        key: 'discord',
        global: { limit: 50, windowMs: 1_000 },
        log: silentLog,
      }),
    );
  }

  it('lets a whole window go at once across replicas, then holds the next one; never 51 in a window', async () => {
    const shared = await limiters(3);
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
    expect(mostInAnyWindow(grants, 1_000)).toBeLessThanOrEqual(50);
    // A window's worth together (evenly spaced slots would need a whole second for them)...
    expect(grants[49]! - grants[0]!).toBeLessThan(700);
    // ...and three windows' worth in about three windows, not more: replicas share, not multiply.
    expect(grants[149]!).toBeGreaterThan(2_000);
    expect(grants[149]!).toBeLessThan(3_500);
  });

  it('a global 429 on one replica pauses every lane for all of them', async () => {
    const [a, b] = await limiters(2);
    (await a!.acquire('discord:1')).done();
    a!.pauseAll(1_500);
    // The pause is written in the background (one statement per lane): under load that takes a while.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const started = performance.now();
    const waited = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => (await b!.acquire(`discord:${10 + i}`), performance.now() - started)),
    );
    expect(Math.min(...waited)).toBeGreaterThan(800);
  });
});
