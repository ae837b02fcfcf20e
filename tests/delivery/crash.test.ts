import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';
import {
  botEnv,
  channelIds,
  discordTally,
  dropArticle,
  notExactlyOnce,
  seededRandom,
  slackTally,
  startFakes,
  until,
  sleep,
  type Fakes,
} from './support/fakes.js';

/**
 * The key promise of issue 6: kill -9 at any moment during fan-out, restart, and every
 * (article, channel) pair is still posted exactly once. The real bot process (bin/run.mjs main)
 * posts to a fake Discord and a fake Slack, 100 channels each.
 */
const CHANNELS_PER_PLATFORM = 100;
/**
 * Three kills, each at a seeded random moment inside a round's fan-out. Two land while a post is
 * in flight: the fake has taken the message and the kill comes before its answer is written, the
 * worst case (the platform has it, the ledger says `sending`). One lands on a timer, anywhere.
 */
const KILLS: { seed: number; mode: 'in-flight' | 'timer'; platform?: 'discord' | 'slack' }[] = [
  { seed: 11, mode: 'in-flight', platform: 'discord' },
  { seed: 23, mode: 'in-flight', platform: 'slack' },
  { seed: 37, mode: 'timer' },
];
const ARTICLES_PER_ROUND = 2;

describe('kill -9 during fan-out (real bot process, fake Discord + Slack, 200 channels)', () => {
  let fakes: Fakes;
  let dir: string;
  let cleanup: () => void;
  let env: Record<string, string>;
  const channels = channelIds(CHANNELS_PER_PLATFORM);
  const running: BotProcess[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('newsdesk-crash-'));
    fakes = await startFakes();
    // Slack's per-channel pacing (1/s) still applies; the workspace cap is raised so the test stays short.
    env = botEnv(fakes, dir, channels, { SLACK_WORKSPACE_RATE: '100' });
  });

  afterAll(async () => {
    for (const bot of running)
      if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await fakes?.close();
    cleanup?.();
  });

  const postsSoFar = () => discordTally(fakes.discord).messages + slackTally(fakes.slack).messages;

  async function boot(): Promise<BotProcess> {
    const bot = startBot('main', [], env);
    running.push(bot);
    await bot.waitFor(() => bot.stderr().includes('newsdesk ready'), 'the bot to be ready', 20_000);
    return bot;
  }

  it('posts every (article, channel) exactly once across three SIGKILLs at random moments', {
    timeout: 90_000,
  }, async () => {
    const kills: { seed: number; mode: string; afterPosts: number; extraMs: number; postsAtKill: number }[] = [];
    let articles = 0;
    for (const plan of KILLS) {
      const random = seededRandom(plan.seed);
      const bot = await boot();
      const before = postsSoFar();
      // Somewhere inside this round's fan-out: after 1..80% of its posts.
      const roundPosts = ARTICLES_PER_ROUND * CHANNELS_PER_PLATFORM * 2;
      const afterPosts = 1 + Math.floor(random() * roundPosts * 0.8);
      const extraMs = plan.mode === 'timer' ? Math.floor(random() * 40) : 0;
      const kill = () => {
        if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
      };
      if (plan.mode === 'in-flight') {
        // Counted inside the fake, before it answers: the kill beats the answer to the bot.
        const reached = () => postsSoFar() - before >= afterPosts;
        if (plan.platform === 'discord')
          fakes.discord.state.beforeAnswer = (request) => {
            if (request.method === 'POST' && request.status === 200 && reached()) kill();
          };
        else fakes.slack.beforePostAnswer = (answer) => answer.ok && reached() && kill();
      }
      for (let i = 0; i < ARTICLES_PER_ROUND; i += 1) dropArticle(join(dir, 'articles'), ++articles);
      if (plan.mode === 'timer') {
        await until(() => postsSoFar() - before >= afterPosts, `${afterPosts} posts in round ${plan.seed}`, 30_000, 1);
        await sleep(extraMs);
        kill();
      }
      const exit = await bot.exited;
      fakes.discord.state.beforeAnswer = undefined;
      fakes.slack.beforePostAnswer = undefined;
      expect(exit.signal).toBe('SIGKILL');
      kills.push({
        seed: plan.seed,
        mode: plan.platform ? `${plan.mode} ${plan.platform}` : plan.mode,
        afterPosts,
        extraMs,
        postsAtKill: postsSoFar() - before,
      });
    }

    // The last start finishes the job; nothing is killed any more.
    const expected = articles * CHANNELS_PER_PLATFORM * 2;
    const bot = await boot();
    await until(() => postsSoFar() >= expected, `all ${expected} posts`, 40_000, 20);
    // Stay a little longer: a late duplicate would show up here.
    await sleep(1_500);
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);

    const stores = openSqliteStores(join(dir, 'data', 'bot.db'));
    const stored = await stores.articles.latest(100);
    const counts = await stores.deliveries.countByState();
    await stores.close();
    const ids = stored.map((article) => article.id);
    expect(ids).toHaveLength(articles);

    const discord = discordTally(fakes.discord);
    const slack = slackTally(fakes.slack);
    const recovered = running
      .flatMap((run) => run.logs())
      .filter((line) => line.msg === 'delivery recovered after restart').length;
    console.info(
      JSON.stringify({
        test: 'crash',
        kills,
        pairs: expected,
        discord: {
          messages: discord.messages,
          postRequests: discord.postRequests,
          accepted: discord.accepted,
          distinctNonces: discord.distinctNonces,
        },
        slack: { okPosts: slack.messages, calls: slack.calls },
        recoveredAfterRestart: recovered,
        ledger: counts,
      }),
    );

    expect(notExactlyOnce(discord, channels.discord, ids)).toEqual([]);
    expect(notExactlyOnce(slack, channels.slack, ids)).toEqual([]);
    expect(discord.messages).toBe(articles * CHANNELS_PER_PLATFORM);
    // Every accepted POST carried a nonce, and there is one message per distinct nonce:
    // a resend after a kill either found its message first or was dropped by enforce_nonce.
    expect(discord.distinctNonces).toBe(discord.messages);
    expect(slack.messages).toBe(articles * CHANNELS_PER_PLATFORM);
    expect(counts).toEqual({ pending: 0, sending: 0, sent: expected, failed: 0 });
    // The in-flight kills left posts the platforms had taken; the restarts found them instead of resending.
    expect(recovered).toBeGreaterThanOrEqual(2);
  });
});
