/**
 * `npm run bench:fanout -- --replicas 1,2,3`: the same fan-out, delivered by 1, 2, then 3 replicas
 * of the real bot process sharing one PostgreSQL (a throwaway cluster, or NEWSDESK_TEST_POSTGRES_URL)
 * and one fake Discord that answers a global 429 past 50 requests/s. Throughput should stay at the
 * shared limit, not multiply with replicas. Prints one JSON line per replica count:
 *   - achievedPerSecond / fractionOf50, global 429s, the most requests in any 1 s window;
 *   - claim latency: N claimers (one store each, as N replicas) draining one fan-out's rows;
 *   - database round trips per delivery: statements counted at the pg client while one replica's
 *     real dispatcher delivers the same fan-out (first line), and what an empty tick costs.
 * Flags: --channels N (default 500), --timeout-s N, --latency-ms N (default 100, ± --jitter, default 0.5).
 * Fractions are the harness's: posts ÷ (first→last + 1 s) ÷ 50.
 */
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import type { Latency } from '../tests/fakes/latency.js';
import { claimOwner } from '../src/delivery/claim-loop.js';
import { createDispatcher } from '../src/delivery/dispatcher.js';
import { createSharedRateLimiter } from '../src/delivery/shared-rate-limiter.js';
import { onceAcrossReplicas } from '../src/delivery/tick-lock.js';
import { scriptedAdapter, silentLog, subscription } from '../tests/delivery/support/scripted-adapter.js';
import { makeInput } from '../tests/support/articles.js';
import { openPostgresStores } from '../src/store/postgres-open.js';
import { discordTally, dropArticle, slackTally, until } from '../tests/delivery/support/fakes.js';
import { FakeSlack } from '../tests/fakes/slack/fake-slack.js';
import { createFakeDiscord } from '../tests/fakes/discord/fake-discord.js';
import type { BotProcess } from '../tests/support/bot-process.js';
import { tempDir } from '../tests/support/paths.js';
import { startTestPostgres, type TestPostgres } from '../tests/support/postgres.js';
import {
  alive,
  discordChannels,
  messageCount,
  mostInAnyWindow,
  postsBy,
  replicaEnv,
  schemaUrl,
  slackReplicaEnv,
  startReplicas,
} from '../tests/scale/support.js';

const GLOBAL = { limit: 50, windowMs: 1_000 };
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SLACK_WORKSPACE_RATE = 20;

/** Slack while Discord fans out: when its first post came, its pace against the cap, any 429 or duplicate. */
function slackFigures(slack: FakeSlack, dropped: number, discordFirst: number, discordLast: number) {
  const ok = slack.postAnswers.filter((answer) => answer.ok).map((answer) => answer.at);
  const first = Math.min(...ok);
  const tally = slackTally(slack);
  // The harness's measure: posts ÷ (first→last + 1 s).
  const rate = ok.length / ((Math.max(...ok) - first + 1_000) / 1000);
  return {
    delivered: tally.messages,
    firstPostAfterDropMs: first - dropped,
    firstPostAfterDiscordFirstMs: first - discordFirst,
    startedBeforeDiscordFinished: first < discordLast,
    fractionOfWorkspaceCap: round(rate / SLACK_WORKSPACE_RATE),
    workspaceCap: SLACK_WORKSPACE_RATE,
    total429: slack.postAnswers.filter((answer) => answer.status === 429).length,
    duplicates: tally.messages - tally.posted.size,
  };
}

/** Transactions the server has finished (committed or rolled back), in every database. */
async function transactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      'SELECT sum(xact_commit + xact_rollback)::text AS n FROM pg_stat_database',
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

function perSecond(times: number[], from: number): number[] {
  const counts: number[] = [];
  for (const at of times) {
    const second = Math.floor((at - from) / 1_000);
    counts[second] = (counts[second] ?? 0) + 1;
  }
  return Array.from(counts, (count) => count ?? 0);
}

/**
 * With N lanes, post i goes out on the lane post i−N used, so t[i] − t[i−N] is a lane's cycle: the
 * window, the margin, and how late requests leave after their slot. Also how long the first N took.
 */
function laneTiming(times: number[], lanes: number) {
  const sorted = [...times].sort((a, b) => a - b);
  const cycles = sorted.slice(lanes).map((at, i) => at - sorted[i]!);
  const mean = cycles.reduce((sum, ms) => sum + ms, 0) / Math.max(1, cycles.length);
  return {
    firstArrivalsMs: sorted.slice(0, 60).map((at) => Math.round(at - sorted[0]!)),
    firstBurstMs: Math.round((sorted[Math.min(lanes, sorted.length) - 1] ?? 0) - (sorted[0] ?? 0)),
    meanLaneCycleMs: Math.round(mean),
  };
}

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 2);
  return { p50: at(0.5), p99: at(0.99), max: at(1), calls: sorted.length };
}

/**
 * Statements one replica's dispatcher sends per delivery: the real dispatcher, claim loop and
 * shared limiter on PostgreSQL, posting through a scripted adapter, with every statement counted
 * at the pg client. The pace is lifted (the count does not depend on it). Also what one empty tick
 * costs (lock, once-per-fire check, claim that finds nothing, release).
 */
async function roundTrips(server: TestPostgres, channels: number) {
  const stores = await openPostgresStores(server.url, { schema: await server.freshSchema(), poolSize: 4 });
  let statements = 0;
  const original = pg.Client.prototype.query;
  const counting = function (this: pg.Client, ...args: unknown[]) {
    statements += 1;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  };
  try {
    const ids = discordChannels(channels).map((id) => `discord:${id}` as const);
    for (const channel of ids) await stores.subscriptions.putSubscription(subscription(channel));
    const { article } = await stores.articles.upsert(makeInput({ title: 'Round trips' }));
    await stores.deliveries.enqueue(article.id, ids);
    const limiter = createSharedRateLimiter({
      slots: stores.rateSlots!,
      key: 'discord',
      global: { limit: 100_000, windowMs: 1_000 },
      perChannel: { limit: 5, windowMs: 5_000 },
      log: silentLog,
    });
    const dispatcher = createDispatcher({
      stores,
      adapters: { discord: scriptedAdapter('discord') },
      limiters: { discord: limiter },
      log: silentLog,
      perChannelPerTick: 5,
    });
    const owner = claimOwner();
    pg.Client.prototype.query = counting as typeof original;
    const tick = onceAcrossReplicas({ locks: stores.locks, owner, log: silentLog }, 'bench', () => dispatcher.tick());
    const result = (await tick()) as { sent: number };
    const perDelivery = statements / Math.max(1, result.sent);
    statements = 0;
    await sleep(1_100); // the next fire
    await tick();
    return { perDelivery: round(perDelivery, 2), sent: result.sent, emptyTick: statements };
  } finally {
    pg.Client.prototype.query = original;
    await stores.close();
  }
}

/** `claimers` stores (as many replicas) drain one article's rows to `channels` channels, 32 channels per claim. */
async function claimLatency(server: TestPostgres, claimers: number, channels: number) {
  const schema = await server.freshSchema();
  const opened = await Promise.all(
    Array.from({ length: claimers }, () => openPostgresStores(server.url, { schema, poolSize: 2 })),
  );
  try {
    await opened[0]!.deliveries.enqueue(
      'bench1',
      discordChannels(channels).map((id) => `discord:${id}` as const),
    );
    const times: number[] = [];
    const claimed = await Promise.all(
      opened.map(async (stores) => {
        const owner = claimOwner();
        let rows = 0;
        for (;;) {
          const started = performance.now();
          const got = await stores.deliveries.claimDue({
            owner,
            leaseMs: 15_000,
            now: new Date().toISOString(),
            maxChannels: 32,
            perChannel: 10,
          });
          times.push(performance.now() - started);
          if (got.length === 0) return rows;
          rows += got.length;
        }
      }),
    );
    return { ...quantiles(times), rowsClaimed: claimed.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(opened.map((stores) => stores.close()));
  }
}

/** Subscriptions written straight to the replicas' database (the operator's space, the default schedule). */
async function subscribeInDatabase(url: string, ids: string[]): Promise<void> {
  const stores = await openPostgresStores(url);
  try {
    for (const id of ids) await stores.subscriptions.putSubscription(subscription(`discord:${id}`));
  } finally {
    await stores.close();
  }
}

async function run(server: TestPostgres, replicas: number, channels: number, timeoutMs: number, latency: Latency) {
  const discord = await createFakeDiscord({ globalLimit: GLOBAL, latency });
  // Slack beside it on its own track: 1 post a second per channel, and the workspace cap the bot is set to.
  const slack = await new FakeSlack({
    postLimit: { perChannel: 1, windowMs: 1_000 },
    workspaceLimit: { limit: SLACK_WORKSPACE_RATE, windowMs: 1_000 },
    latency,
  }).start();
  // At most 500: at its cap of 20 a second 10,000 Slack channels would take over 8 minutes.
  const slackChannels = Math.min(channels, 500);
  const slackIds = Array.from({ length: slackChannels }, (_, i) => `C${i.toString(36).toUpperCase().padStart(5, '0')}`);
  const { dir, cleanup } = tempDir('newsdesk-bench-replicas-');
  const url = schemaUrl(server.url, await server.freshSchema());
  const ids = discordChannels(channels);
  // Past about 6,000 channels the list no longer fits in one environment variable (Linux caps one at
  // 128 KB): the channels are then subscribed in the database before the replicas start, as by command.
  const inEnv = ids.join(',').length <= 100_000;
  if (!inEnv) await subscribeInDatabase(url, ids);
  const running: BotProcess[] = [];
  try {
    const bots = await startReplicas(
      replicas,
      (index) => ({
        ...slackReplicaEnv(
          { apiUrl: slack.apiUrl, botToken: 'xoxb-fake', signingSecret: 'fake-signing-secret' },
          url,
          join(dir, `articles-${index}`),
          slackIds,
        ),
        ...replicaEnv(discord, url, join(dir, `articles-${index}`), inEnv ? ids : []),
        SLACK_WORKSPACE_RATE: String(SLACK_WORKSPACE_RATE),
      }),
      running,
    );
    // As the one-process bench: the fan-out of a bot that is up, not one sharing its first second with
    // the start-up requests (2 per replica, counted in the shared window until a window after start).
    await sleep(1_500);
    const transactionsBefore = await transactions(server.url);
    const firstRequest = discord.requests.length;
    // The fakes run in this process: a stall here bunches arrivals the bot sent spaced (a 429 that is the fake's, not the bot's).
    const fakeLoop = monitorEventLoopDelay({ resolution: 10 });
    fakeLoop.enable();
    const dropped = Date.now();
    dropArticle(join(dir, 'articles-0'), 1);
    let slackSeen = 0;
    let slackOkCount = 0;
    // Counted as they come: a full tally every poll would stall the fakes that share this process.
    const slackOk = () => {
      for (; slackSeen < slack.postAnswers.length; slackSeen += 1)
        if (slack.postAnswers[slackSeen]!.ok) slackOkCount += 1;
      return slackOkCount;
    };
    await until(() => messageCount(discord) >= channels, 'every Discord channel to be posted to', timeoutMs, 20);
    const doneAt = Date.now();
    await until(() => slackOk() >= slackChannels, 'every Slack channel to be posted to', timeoutMs, 20);
    await sleep(2_000); // late duplicates would show here; the server's statistics are flushed meanwhile
    const transactionsDuring = (await transactions(server.url)) - transactionsBefore;

    const requests = discord.requests.slice(firstRequest);
    const ok = requests
      .filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === 200)
      .map((r) => r.at);
    const first = Math.min(...ok);
    const last = Math.max(...ok);
    const rate = ok.length / ((last - first + 1_000) / 1000);
    const tally = discordTally(discord);
    return {
      bench: 'fanout',
      store: 'postgres',
      replicas,
      channels,
      latency: `${latency.ms} ms ± ${(latency.jitter ?? 0.5) * 100}%`,
      loadAverage: loadavg().map((value) => round(value, 2)),
      fakesEventLoopDelayMs: { p99: round(fakeLoop.percentile(99) / 1e6, 1), max: round(fakeLoop.max / 1e6, 1) },
      delivered: tally.messages,
      duplicates: tally.messages - tally.posted.size,
      achievedPerSecond: round(rate, 2),
      fractionOf50: round(rate / GLOBAL.limit),
      total429: requests.filter((r) => r.status === 429).length,
      global429: discord.state.globalOverLimit,
      mostInAnyWindow: mostInAnyWindow(
        requests.filter((r) => r.status !== 429).map((r) => r.at),
        GLOBAL.windowMs,
      ),
      postsByReplicaBothPlatforms: bots.map(postsBy),
      // Posts that arrived in each second from the first: holes show stalls, a flat shortfall a slow pace.
      postsPerSecond: perSecond(ok, first),
      ...laneTiming(ok, GLOBAL.limit),
      lastDeliveryAfterDropMs: doneAt - dropped,
      slack: slackFigures(slack, dropped, Math.min(...ok), Math.max(...ok)),
      // Every statement of every replica (each is its own transaction or part of one): ticks, claims, lanes, polls.
      databaseTransactionsPerDelivery: round(transactionsDuring / Math.max(1, tally.messages), 2),
    };
  } finally {
    for (const bot of running) if (alive(bot)) bot.child.kill('SIGTERM');
    await Promise.all(running.map((bot) => Promise.race([bot.exited, sleep(15_000)])));
    for (const bot of running) if (alive(bot)) bot.child.kill('SIGKILL');
    await discord.close();
    await slack.stop();
    cleanup();
  }
}

export async function benchReplicas(
  counts: number[],
  channels: number,
  timeoutMs: number,
  latency: Latency,
): Promise<void> {
  const server = await startTestPostgres();
  try {
    // Statements per delivery do not grow with the fan-out; 1,000 channels show them (10,000 took minutes).
    const trips = await roundTrips(server, Math.min(channels, 1_000));
    console.log(
      JSON.stringify({
        bench: 'fanout',
        store: 'postgres',
        measure: 'database round trips',
        channels: Math.min(channels, 1_000),
        statementsPerDelivery: trips.perDelivery,
        statementsPerEmptyTick: trips.emptyTick,
        note: 'counted at the pg client in one replica: claim (per 32 channels), subscription, article, rate lane (hold, release), markSending (fenced, renews the lease), markSent; plus lock, once-per-fire, release per tick',
      }),
    );
    for (const replicas of counts) {
      const line = await run(server, replicas, channels, timeoutMs, latency);
      const claims = await claimLatency(server, replicas, channels);
      console.log(JSON.stringify({ ...line, claimLatencyMs: { ...claims, claimers: replicas, channelsPerClaim: 32 } }));
    }
  } finally {
    await server.close();
  }
}
