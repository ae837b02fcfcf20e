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
  postsBy,
  replicaEnv,
  replicaToken,
  schemaUrl,
  senderOf,
  startReplicas,
} from './support.js';

/**
 * The promise of issue 9: three replicas of the real bot (bin/run.mjs main) share one PostgreSQL
 * and one fake Discord that enforces the 50/s global limit. A fan-out to 300 channels runs; the
 * replica doing the work is killed with SIGKILL in the middle. Every (article, channel) is still
 * posted exactly once, and the three together never went over the limit.
 */
const plan = postgresPlanFor('3-replica kill test');
const CHANNELS = 300;
const ARTICLES = 2;
const GLOBAL = DISCORD_GLOBAL_LIMIT;

describe.skipIf(plan.kind === 'none')('3 replicas on one PostgreSQL, SIGKILL during fan-out', () => {
  const fx = discordReplicaFixture({ prefix: 'newsdesk-replicas-' });
  const channels = discordChannels(CHANNELS);

  it('posts every (article, channel) exactly once and stays under the shared 50/s', { timeout: 90_000 }, async () => {
    const databaseUrl = schemaUrl(fx.server.url, await fx.server.freshSchema());
    // Articles arrive through the first replica's folder; all three deliver.
    // Each replica has a token of its own (the same bot to the fake), so the fake knows whose request it took.
    const replicas = await startReplicas(
      3,
      (index) =>
        replicaEnv(fx.discord, databaseUrl, join(fx.dir, `articles-${index}`), channels, {
          DISCORD_TOKEN: replicaToken(index),
        }),
      fx.running,
    );
    const firstRequest = fx.discord.requests.length;

    const posted = () => messageCount(fx.discord);
    for (let n = 1; n <= ARTICLES; n += 1) dropArticle(join(fx.dir, 'articles-0'), n);
    const expected = ARTICLES * CHANNELS;
    // A quarter of the way in, the replica that has posted the most is the one doing the work.
    await until(() => posted() >= expected / 4, `${expected / 4} posts`, 30_000, 2);
    const victim = replicas.reduce((best, bot) => (postsBy(bot) > postsBy(best) ? bot : best));
    const victimIndex = replicas.indexOf(victim);
    // A third of the way in, it dies while one of its own posts is in flight: the fake has taken the
    // message and the kill beats the answer (the worst case: the platform has it, the ledger says `sending`).
    let killedOn: string | undefined;
    fx.discord.state.beforeAnswer = (request) => {
      if (request.method !== 'POST' || request.status !== 200 || !/^\/channels\/\d+\/messages$/.test(request.path))
        return;
      if (senderOf(request) !== victimIndex || posted() < expected / 3 || !alive(victim)) return;
      killedOn = request.path;
      victim.child.kill('SIGKILL');
    };
    await until(() => killedOn !== undefined, 'the victim to be killed on one of its own posts', 30_000, 2);
    expect((await victim.exited).signal).toBe('SIGKILL');
    fx.discord.state.beforeAnswer = undefined;
    const byVictimAtKill = postsBy(victim);
    const postsAtKill = posted();

    await until(() => posted() >= expected, `all ${expected} posts`, 45_000, 20);
    // Stay a little longer: a late duplicate would show up here.
    await sleep(2_000);
    const survivors = replicas.filter((bot) => bot !== victim);
    for (const bot of survivors) bot.child.kill('SIGTERM');
    for (const bot of survivors) expect((await bot.exited).code).toBe(0);

    const stores = await openPostgresStores(databaseUrl);
    const articles = await stores.articles.latest(10);
    const ledger = await stores.deliveries.countByState();
    const holders = await stores.db.query<{ owner: string }>(
      'SELECT DISTINCT claimed_by AS owner FROM delivery_channels WHERE claimed_by IS NOT NULL',
    );
    await stores.close();

    const tally = discordTally(fx.discord);
    const requests = fx.discord.requests.slice(firstRequest);
    const answered = requests
      .filter((request) => request.status !== 429)
      .map((request) => ({ earliest: request.earliestAt, latest: request.at }));
    const logs = replicas.flatMap((bot) => bot.logs());
    const figures = {
      test: 'replicas-kill',
      pairs: expected,
      victim: victimIndex,
      killedOn,
      postsByReplica: replicas.map(postsBy),
      byVictimAtKill,
      postsAtKill,
      messages: tally.messages,
      distinctNonces: tally.distinctNonces,
      accepted: tally.accepted,
      recoveredAfterKill: logs.filter((line) => line.msg === 'delivery recovered after restart').length,
      global429: fx.discord.state.globalOverLimit,
      any429: requests.filter((request) => request.status === 429).length,
      mostInAnyWindow: mostInAnyWindow(answered, GLOBAL.windowMs),
      ledger,
      claimsLeftByVictim: holders.length,
    };
    console.info(JSON.stringify(figures));

    const ids = articles.map((article) => article.id);
    expect(ids).toHaveLength(ARTICLES);
    expect(notExactlyOnce(tally, channels, ids)).toEqual([]);
    expect(tally.messages).toBe(expected);
    // One message per distinct nonce: no resend slipped through, and none needed the nonce to be dropped.
    expect(tally.distinctNonces).toBe(tally.messages);
    expect(ledger).toEqual({ pending: 0, sending: 0, sent: expected, failed: 0 });
    // The survivors gave their claims back on shutdown; only the dead replica's lapsed ones are left.
    expect(holders.every((row) => row.owner.split(':')[1] === String(victim.child.pid))).toBe(true);
    // The shared limit held across all three, the kill included: never a global 429, never more than 50 in any second.
    expect(fx.discord.state.globalOverLimit).toBe(0);
    expect(figures.any429).toBe(0);
    expect(figures.mostInAnyWindow).toBeLessThanOrEqual(GLOBAL.limit);
    // The survivors finished the victim's work.
    expect(survivors.reduce((sum, bot) => sum + postsBy(bot), 0)).toBeGreaterThan(0);
    expect(postsAtKill).toBeLessThan(expected);
    // The post the victim never heard back about was found by a survivor (by its nonce), not sent again.
    expect(figures.recoveredAfterKill).toBeGreaterThanOrEqual(1);
  });
});
