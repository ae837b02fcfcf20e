import { deliveryOf } from '../support/deliveries.js';
import { capturingLogger } from '../support/logger.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNewsdeskError } from '../../src/domain/errors.js';
import { openPostgresStores, type PostgresStores } from '../../src/store/postgres-open.js';
import { makeInput } from '../support/articles.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';

// These tests stop and restart the server, so they always use a cluster of their own.
const plan = postgresPlanFor('PostgreSQL restart tests', { own: true });

const t0 = '2025-01-01T00:00:00.000Z';

const memoryLog = () => capturingLogger<{ msg: string; level: number }>('warn');

describe.skipIf(plan.kind === 'none')('postgres restarts and outages', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres({ own: true });
  }, 60_000);
  afterAll(async () => server?.close());

  async function open(
    options: { reconnectMs?: number } = {},
  ): Promise<{ stores: PostgresStores; lines: { msg: string }[] }> {
    const { log, lines } = memoryLog();
    const stores = await openPostgresStores(server.url, {
      schema: await server.freshSchema(),
      log,
      reconnectMs: options.reconnectMs ?? 15_000,
    });
    return { stores, lines };
  }

  it('keeps working across a restart between operations, and loses nothing', async () => {
    const { stores, lines } = await open();
    const { article } = await stores.articles.upsert(makeInput({ title: 'Before the restart' }), t0);
    await stores.deliveries.enqueue(article.id, ['discord:1', 'slack:C1'], t0);
    await stores.deliveries.markSending(article.id, 'discord:1', t0);
    await stores.feeds.add('https://before.example/rss', { now: t0 });
    // Several pooled connections, so the restart kills more than one idle client.
    await Promise.all(Array.from({ length: 5 }, () => stores.articles.count()));

    await server.restart!();

    expect((await stores.articles.get(article.id))?.title).toBe('Before the restart');
    expect(await deliveryOf(stores.deliveries, article.id, 'discord:1')).toMatchObject({
      state: 'sending',
      attempts: 1,
    });
    await stores.deliveries.markSent(article.id, 'discord:1', 'm-1', t0);
    const after = await stores.articles.upsert(makeInput({ title: 'After the restart' }), t0);
    expect(after.status).toBe('new');
    expect(await stores.articles.count()).toBe(2);
    expect(await stores.deliveries.countByState()).toEqual({ pending: 1, sending: 0, sent: 1, failed: 0 });
    expect((await stores.feeds.list()).map((feed) => feed.url)).toEqual(['https://before.example/rss']);
    expect(lines.some((line) => line.msg === 'idle PostgreSQL connection lost; it will be replaced')).toBe(true);
    await stores.close();
  });

  it('rides through a restart in the middle of a stream of writes: every acknowledged write is kept', async () => {
    const { stores } = await open();
    const startedAt = async () =>
      (await stores.db.query<{ at: string }>('SELECT pg_postmaster_start_time()::text AS at'))[0]!.at;
    const serverBefore = await startedAt();
    const acknowledged: string[] = [];
    const failures: unknown[] = [];
    let restarted: Promise<void> | undefined;
    let restartDone = false;
    let duringRestart = 0;
    let afterRestart = 0;
    // The stream runs until 20 writes were issued after the restart finished, however long the restart
    // takes on a loaded machine: the writes then cover the whole time the server was away.
    const deadline = Date.now() + 45_000;
    for (let i = 0; afterRestart < 20 && Date.now() < deadline; i++) {
      if (i === 20) restarted = server.restart!().then(() => void (restartDone = true));
      // A write counts as "during" when it was issued before the restart finished, even if the pool
      // holds it until the server is back (then it is the restart's only write, and it must still land).
      const issuedDuringRestart = restarted !== undefined && !restartDone;
      const input = makeInput({ key: `stream:${i}`, title: `Stream item ${i}` });
      try {
        await stores.articles.upsertMany([input], t0);
        await stores.deliveries.enqueue(`stream-${i}`, ['discord:1'], t0);
        acknowledged.push(input.key);
      } catch (err) {
        failures.push(err);
      }
      if (issuedDuringRestart) duringRestart++;
      else if (restartDone) afterRestart++;
    }
    await restarted;
    // The stream outlived the restart, and the server really went away and came back under it (write 20
    // is "during" by construction, so a count of those would prove nothing).
    expect(afterRestart).toBe(20);
    expect(await startedAt()).not.toBe(serverBefore);
    // A statement cut off mid-flight may fail (cleanly); the pool reconnects and the rest go through.
    for (const err of failures) expect(isNewsdeskError(err, 'storage')).toBe(true);
    expect(failures.length).toBeLessThanOrEqual(2);
    expect(acknowledged.length).toBe(20 + duringRestart + afterRestart - failures.length);
    for (const key of acknowledged) expect(await stores.articles.getByKey(key), key).toBeDefined();
    expect((await stores.deliveries.countByState()).pending).toBeGreaterThanOrEqual(acknowledged.length);
    await stores.close();
  }, 60_000);

  it('reconnects after the server kills every connection (failover, admin)', async () => {
    const { stores } = await open();
    await Promise.all(Array.from({ length: 4 }, () => stores.meta.setMeta('k', 'v')));
    const [killer] = await Promise.all([openPostgresStores(server.url)]);
    const killed = await killer.db.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'newsdesk' AND pid <> pg_backend_pid()`,
    );
    await killer.close();
    expect(killed[0]!.n).toBeGreaterThanOrEqual(1);
    expect(await stores.meta.getMeta('k')).toBe('v');
    await stores.meta.setMeta('k', 'w');
    expect(await stores.meta.getMeta('k')).toBe('w');
    await stores.close();
  });

  it('reports an outage as a clear storage error, then recovers when the server is back', async () => {
    const { stores } = await open({ reconnectMs: 300 });
    await stores.meta.setMeta('kept', 'yes');
    await server.stop!();
    try {
      await expect(stores.meta.getMeta('kept')).rejects.toMatchObject({
        code: 'storage',
        message:
          'database query failed: the PostgreSQL server refused the connection (is it running and listening on that host and port?)',
      });
    } finally {
      await server.start!();
    }
    expect(await stores.meta.getMeta('kept')).toBe('yes');
    await stores.close();
  });
});
