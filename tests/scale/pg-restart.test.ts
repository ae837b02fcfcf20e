import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPostgresStores } from '../../src/store/postgres-open.js';
import { discordTally, dropArticle, notExactlyOnce, sleep, until } from '../delivery/support/fakes.js';
import { postgresPlanFor } from '../support/postgres.js';
import {
  alive,
  DISCORD_GLOBAL_LIMIT,
  discordChannels,
  discordReplicaFixture,
  messageCount,
  mostInAnyWindow,
  replicaEnv,
  replicaToken,
  senderOf,
  startReplicas,
} from './support.js';

/**
 * PostgreSQL restarts in the middle of a fan-out that three replicas share. They reconnect, the
 * fan-out completes with every (article, channel) posted exactly once, and an article that
 * arrives after the restart goes out too. The restart needs a cluster of this file's own.
 */
const plan = postgresPlanFor('replicas across a PostgreSQL restart', { own: true });
const CHANNELS = 300;
const GLOBAL = DISCORD_GLOBAL_LIMIT;

describe.skipIf(plan.kind === 'none')('3 replicas across a PostgreSQL restart', () => {
  const fx = discordReplicaFixture({ own: true, prefix: 'newsdesk-replicas-restart-' });
  const channels = discordChannels(CHANNELS);

  it('reconnects, finishes the fan-out exactly once, and delivers what comes after', { timeout: 90_000 }, async () => {
    const replicas = await startReplicas(
      3,
      (index) =>
        replicaEnv(fx.discord, fx.server.url, join(fx.dir, `articles-${index}`), channels, {
          DISCORD_TOKEN: replicaToken(index),
        }),
      fx.running,
    );
    const firstRequest = fx.discord.requests.length;
    const posted = () => messageCount(fx.discord);

    dropArticle(join(fx.dir, 'articles-0'), 1);
    await until(() => posted() >= CHANNELS / 3, `${CHANNELS / 3} posts`, 30_000, 2);
    const restartStarted = Date.now();
    await fx.server.restart!();
    const restartMs = Date.now() - restartStarted;
    const postsAtRestart = posted();
    await until(() => posted() >= CHANNELS, `all ${CHANNELS} posts of the first article`, 40_000, 20);

    // Ingest and delivery after the restart: a new article through another replica's folder.
    dropArticle(join(fx.dir, 'articles-2'), 2);
    await until(() => posted() >= 2 * CHANNELS, `all ${2 * CHANNELS} posts`, 40_000, 20);
    await sleep(2_000);
    expect(replicas.every(alive)).toBe(true);
    for (const bot of replicas) bot.child.kill('SIGTERM');
    for (const bot of replicas) expect((await bot.exited).code).toBe(0);

    const stores = await openPostgresStores(fx.server.url);
    const ids = (await stores.articles.latest(10)).map((article) => article.id);
    const ledger = await stores.deliveries.countByState();
    await stores.close();
    const tally = discordTally(fx.discord);
    const answered = fx.discord.requests
      .slice(firstRequest)
      .filter((request) => request.status !== 429)
      .map((request) => ({ earliest: request.earliestAt, latest: request.at }));
    const logs = replicas.flatMap((bot) => bot.logs());
    console.info(
      JSON.stringify({
        test: 'replicas-pg-restart',
        restartMs,
        postsAtRestart,
        messages: tally.messages,
        distinctNonces: tally.distinctNonces,
        recovered: logs.filter((line) => line.msg === 'delivery recovered after restart').length,
        storageErrorsLogged: logs.filter((line) => line.level === 50).length,
        global429: fx.discord.state.globalOverLimit,
        // When each 429 came (ms after the restart began) and from which replica: a failure says where to look.
        refused: fx.discord.requests
          .filter((request) => request.status === 429)
          .map((request) => `${request.at - restartStarted}@${senderOf(request)} ${request.method} ${request.path}`),
        beforeFirstRefusal: (() => {
          const first = fx.discord.requests.find((request) => request.status === 429);
          if (!first) return undefined;
          const counts: Record<string, number> = {};
          for (const request of fx.discord.requests)
            if (request.status !== 429 && request.at > first.at - 1_000 && request.at <= first.at) {
              const kind = `${senderOf(request)} ${request.method} ${request.path.replace(/\d{6,}/g, ':id')}`;
              counts[kind] = (counts[kind] ?? 0) + 1;
            }
          return counts;
        })(),
        mostInAnyWindow: mostInAnyWindow(answered, GLOBAL.windowMs),
        ledger,
      }),
    );

    expect(ids).toHaveLength(2);
    expect(notExactlyOnce(tally, channels, ids)).toEqual([]);
    expect(tally.distinctNonces).toBe(tally.messages);
    expect(ledger).toEqual({ pending: 0, sending: 0, sent: 2 * CHANNELS, failed: 0 });
    expect(postsAtRestart).toBeLessThan(CHANNELS);
    // The shared limit held across the restart: lanes whose release was lost are freed by their lease.
    expect(fx.discord.state.globalOverLimit).toBe(0);
    expect(mostInAnyWindow(answered, GLOBAL.windowMs)).toBeLessThanOrEqual(GLOBAL.limit);
  });
});
