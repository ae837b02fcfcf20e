import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMrkdwn } from '../../src/platforms/slack/mrkdwn.js';
import { openPostgresStores } from '../../src/store/postgres-open.js';
import { dropArticle, notExactlyOnce, sleep, slackTally, until } from '../delivery/support/fakes.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { blockActionBody, postSigned, slashCommandBody } from '../fakes/slack/sign.js';
import type { BotProcess } from '../support/bot-process.js';
import { seedPath, tempDir } from '../support/paths.js';
import { postgresPlanFor, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import {
  alive,
  httpPort,
  mostInAnyWindow,
  postsBy,
  schemaUrl,
  slackReplicaEnv,
  startRelay,
  startReplicas,
  type Relay,
} from './support.js';

/**
 * Issue 9's Slack promises with real bot processes (bin/run.mjs main) on one PostgreSQL and one
 * fake Slack: over HTTP any replica answers any request, since nothing about a conversation lives
 * in a process; and a fan-out shared by three replicas, one of them killed with SIGKILL while
 * Slack holds a post it never heard back about, posts every (channel, article) exactly once
 * without one chat.postMessage over Slack's 1/s per channel.
 */
const plan = postgresPlanFor('Slack replicas test');
const SIGNING_SECRET = 'replica-signing-secret-0123456789';
const BOT_TOKEN = 'xoxb-replicas';
const CHANNELS = 40;
const ARTICLES = 3;
/** SLACK_WORKSPACE_RATE: the bot-wide cap the replicas share (config default). */
const WORKSPACE_RATE = 20;

type Block = { type: string; text?: { text?: string }; elements?: { action_id: string; value: string }[] };
type SlackBody = { response_type?: string; replace_original?: boolean; text?: string; blocks?: Block[] };

const buttons = (blocks: Block[] = []) =>
  blocks.flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []));
const slackChannels = Array.from({ length: CHANNELS }, (_, index) => `C${String(index).padStart(8, '0')}`);

describe.skipIf(plan.kind === 'none')('Slack on several replicas of one PostgreSQL', () => {
  let server: TestPostgres;
  let dir: string;
  let cleanup: () => void;
  const running: BotProcess[] = [];
  const fakes: FakeSlack[] = [];
  const relays: Relay[] = [];

  beforeAll(async () => {
    server = await startTestPostgres();
    ({ dir, cleanup } = tempDir('newsdesk-slack-replicas-'));
  }, 60_000);

  afterAll(async () => {
    for (const bot of running) if (alive(bot)) bot.child.kill('SIGKILL');
    for (const relay of relays) await relay.close();
    for (const fake of fakes) await fake.stop();
    await server?.close();
    cleanup?.();
  });

  it('stateless HTTP: a slash command on replica A, its Summary button on replica B; forged requests get 401 on both', {
    timeout: 60_000,
  }, async () => {
    const slack = await new FakeSlack().start();
    fakes.push(slack);
    const databaseUrl = schemaUrl(server.url, await server.freshSchema());
    // Only A has the seed article in its folder; B knows it only through the shared database.
    const folderA = join(dir, 'http-a');
    mkdirSync(folderA, { recursive: true });
    copyFileSync(seedPath, join(folderA, 'seed.txt'));
    const credentials = { apiUrl: slack.apiUrl, botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET };
    const [a, b] = (await startReplicas(
      2,
      (index) => slackReplicaEnv(credentials, databaseUrl, index === 0 ? folderA : join(dir, 'http-b'), []),
      running,
    )) as [BotProcess, BotProcess];
    const events = (bot: BotProcess) => `http://127.0.0.1:${httpPort(bot)}/slack/events`;
    expect(httpPort(a)).not.toBe(httpPort(b));
    const answerAt = (id: string) =>
      slack.waitFor(() => slack.responses.find((entry) => entry.path === `/response/${id}`), 10_000);

    const latestAck = await postSigned(events(a), {
      signingSecret: SIGNING_SECRET,
      rawBody: slashCommandBody({ text: 'latest', responseUrl: slack.responseUrl('latest-on-a') }),
    });
    expect(latestAck).toEqual({ status: 200, body: '' });
    const latest = (await answerAt('latest-on-a')).body as SlackBody;
    expect(latest.response_type).toBe('ephemeral');
    const summaryButtons = buttons(latest.blocks).filter((button) => button.action_id === 'news_summary');
    expect(summaryButtons).toHaveLength(1);
    const articleId = summaryButtons[0]!.value;

    const stores = await openPostgresStores(databaseUrl);
    const article = await stores.articles.get(articleId);
    await stores.close();
    expect(article).toBeDefined();
    expect(JSON.stringify(latest.blocks)).toContain(articleId);

    const clickAck = await postSigned(events(b), {
      signingSecret: SIGNING_SECRET,
      rawBody: blockActionBody({
        actionId: 'news_summary',
        value: articleId,
        responseUrl: slack.responseUrl('summary-on-b'),
      }),
    });
    expect(clickAck.status).toBe(200);
    const summary = (await answerAt('summary-on-b')).body as SlackBody;
    expect(summary).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
      text: `Summary: ${article!.title}`,
    });
    const firstSentence = article!.summary.sentences[0]!;
    expect(
      summary.blocks?.some(
        (block) => block.type === 'section' && block.text?.text?.startsWith(`• ${escapeMrkdwn(firstSentence)}`),
      ),
    ).toBe(true);
    expect(buttons(summary.blocks).map((button) => `${button.action_id}:${button.value}`)).toContain(
      `news_sources:${articleId}`,
    );
    // B answered from the database: its own folder was empty.
    expect(b.logs().find((line) => line.msg === 'articles folder ingested')).toMatchObject({
      new: 0,
      updated: 0,
      unchanged: 0,
    });

    // Forged on both: a zeroed signature, and a body signed with another secret.
    const forgeries: { name: string; bot: BotProcess; signature?: string; secret: string }[] = [
      { name: 'zeroed-a', bot: a, signature: `v0=${'0'.repeat(64)}`, secret: SIGNING_SECRET },
      { name: 'zeroed-b', bot: b, signature: `v0=${'0'.repeat(64)}`, secret: SIGNING_SECRET },
      { name: 'other-secret-a', bot: a, secret: 'not-our-secret' },
      { name: 'other-secret-b', bot: b, secret: 'not-our-secret' },
    ];
    for (const forged of forgeries) {
      const rawBody = slashCommandBody({ text: 'latest', responseUrl: slack.responseUrl(`forged-${forged.name}`) });
      const result = await postSigned(events(forged.bot), {
        signingSecret: forged.secret,
        rawBody,
        ...(forged.signature ? { signature: forged.signature } : {}),
      });
      expect(result.status, forged.name).toBe(401);
    }
    const forgedClick = await postSigned(events(b), {
      signingSecret: 'not-our-secret',
      rawBody: blockActionBody({
        actionId: 'news_summary',
        value: articleId,
        responseUrl: slack.responseUrl('forged-click-b'),
      }),
    });
    expect(forgedClick.status).toBe(401);
    // Signed requests sent after the forged ones are answered by each replica, so the forged ones would have been by now.
    for (const [name, bot] of [
      ['after-a', a],
      ['after-b', b],
    ] as const) {
      expect(
        (
          await postSigned(events(bot), {
            signingSecret: SIGNING_SECRET,
            rawBody: slashCommandBody({ text: 'latest', responseUrl: slack.responseUrl(name) }),
          })
        ).status,
      ).toBe(200);
      await answerAt(name);
    }
    expect(slack.responses.filter((entry) => entry.path.startsWith('/response/forged-'))).toEqual([]);

    for (const bot of [a, b]) bot.child.kill('SIGTERM');
    for (const bot of [a, b]) expect((await bot.exited).code).toBe(0);
  });

  it('exactly once across 3 replicas with one SIGKILLed mid fan-out, never over 1 post/s per channel', {
    timeout: 90_000,
  }, async () => {
    const slack = await new FakeSlack({
      postLimit: { perChannel: 1, windowMs: 1_000 },
      workspaceLimit: { limit: WORKSPACE_RATE, windowMs: 1_000 },
    }).start();
    fakes.push(slack);
    const databaseUrl = schemaUrl(server.url, await server.freshSchema());
    // Each replica reaches Slack through its own relay, so the test knows whose post Slack just took.
    const own = await Promise.all([0, 1, 2].map(() => startRelay(slack.apiUrl)));
    relays.push(...own);
    const env = (index: number) =>
      slackReplicaEnv(
        { apiUrl: own[index]!.url, botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET },
        databaseUrl,
        join(dir, `fanout-${index}`),
        slackChannels,
      );
    // New articles arrive through the first replica's folder; all three deliver.
    const replicas = await startReplicas(3, env, running);

    const okPosts = () => slackTally(slack).messages;
    const expected = ARTICLES * CHANNELS;
    let victimIndex = -1;
    let postsAtKill = 0;
    // A third of the way in, the replica whose post Slack has just taken dies before it hears the
    // answer: the worst case, where the message exists and the ledger still says `sending`.
    own.forEach((relay, index) => {
      relay.hook = (answer) => {
        if (victimIndex >= 0 || !answer.path.endsWith('/chat.postMessage') || answer.status !== 200) return undefined;
        if (okPosts() < expected / 3 || !alive(replicas[index]!)) return undefined;
        victimIndex = index;
        postsAtKill = okPosts();
        replicas[index]!.child.kill('SIGKILL');
        return 'drop';
      };
    });
    for (let n = 1; n <= ARTICLES; n += 1) dropArticle(join(dir, 'fanout-0'), n);

    await until(() => victimIndex >= 0, 'a replica to be killed mid fan-out', 30_000, 5);
    const victim = replicas[victimIndex]!;
    expect((await victim.exited).signal).toBe('SIGKILL');
    for (const relay of own) relay.hook = undefined;
    // The victim's channels come back after its claim lease (15 s).
    await until(() => okPosts() >= expected, `all ${expected} posts`, 45_000, 20);
    // Stay a little longer: a late duplicate would show up here.
    await sleep(2_000);
    const survivors = replicas.filter((bot) => bot !== victim);
    for (const bot of survivors) bot.child.kill('SIGTERM');
    for (const bot of survivors) expect((await bot.exited).code).toBe(0);

    const stores = await openPostgresStores(databaseUrl);
    const ids = (await stores.articles.latest(10)).map((article) => article.id);
    const ledger = await stores.deliveries.countByState();
    await stores.close();

    const tally = slackTally(slack);
    const okTimes = slack.postAnswers
      .filter((answer) => answer.ok)
      .map((answer) => ({ earliest: answer.earliestAt, latest: answer.at }));
    const logs = replicas.flatMap((bot) => bot.logs());
    const figures = {
      test: 'slack-replicas-kill',
      pairs: expected,
      victim: victimIndex,
      postsByReplica: replicas.map(postsBy),
      postsAtKill,
      okPosts: tally.messages,
      postCalls: tally.calls,
      overLimit: slack.overLimit,
      workspaceOverLimit: slack.workspaceOverLimit,
      historyLookups: slack.callsTo('conversations.history').length,
      recoveredAfterKill: logs.filter((line) => line.msg === 'delivery recovered after restart').length,
      mostInAnySecond: mostInAnyWindow(okTimes, 1_000),
      ledger,
    };
    console.info(JSON.stringify(figures));

    expect(ids).toHaveLength(ARTICLES);
    expect(notExactlyOnce(tally, slackChannels, ids)).toEqual([]);
    expect(tally.messages).toBe(expected);
    expect(ledger).toEqual({ pending: 0, sending: 0, sent: expected, failed: 0 });
    // The per-channel limit held across replicas: Slack never had to refuse a post.
    expect(slack.overLimit).toBe(0);
    expect(slack.workspaceOverLimit).toBe(0);
    expect(tally.calls).toBe(expected);
    // The workspace cap is shared too: the three together kept one replica's pace.
    expect(figures.mostInAnySecond).toBeLessThanOrEqual(WORKSPACE_RATE);
    // The post the victim never heard back about was found in the channel's history, not sent again.
    expect(figures.recoveredAfterKill).toBeGreaterThanOrEqual(1);
    expect(postsAtKill).toBeLessThan(expected);
    expect(survivors.reduce((sum, bot) => sum + postsBy(bot), 0)).toBeGreaterThan(0);
  });
});
