import { pollUntil } from '../../support/poll.js';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fakes/discord/fake-discord.js';
import { FakeSlack, type FakeSlackOptions } from '../../fakes/slack/fake-slack.js';

/** Both fake platforms on 127.0.0.1, for a bot process to post to. */
export interface Fakes {
  discord: FakeDiscord;
  slack: FakeSlack;
  close(): Promise<void>;
}

export async function startFakes(
  options: { discord?: FakeDiscordOptions; slack?: FakeSlackOptions } = {},
): Promise<Fakes> {
  const discord = await createFakeDiscord(options.discord);
  const slack = await new FakeSlack(options.slack).start();
  return {
    discord,
    slack,
    async close() {
      await discord.close();
      await slack.stop();
    },
  };
}

/** Native channel ids: Discord snowflake-like numbers, Slack `C…` ids. */
export function channelIds(count: number): { discord: string[]; slack: string[] } {
  const discord = Array.from({ length: count }, (_, index) => String(1_300_000_000_000_000_000n + BigInt(index)));
  const slack = Array.from({ length: count }, (_, index) => `C${String(index).padStart(8, '0')}`);
  return { discord, slack };
}

/** The environment that points a bot process at the fakes, with its own temp store and articles folder. */
export function botEnv(
  fakes: Fakes,
  dir: string,
  channels: { discord: string[]; slack: string[] },
  extra: Record<string, string> = {},
): Record<string, string> {
  mkdirSync(join(dir, 'articles'), { recursive: true });
  return {
    DISCORD_TOKEN: fakes.discord.token,
    DISCORD_APPLICATION_ID: fakes.discord.applicationId,
    DISCORD_API_URL: fakes.discord.apiUrl,
    DISCORD_CHANNEL_IDS: channels.discord.join(','),
    SLACK_BOT_TOKEN: 'xoxb-fake',
    SLACK_SIGNING_SECRET: 'fake-signing-secret',
    SLACK_API_URL: fakes.slack.apiUrl,
    SLACK_CHANNEL_IDS: channels.slack.join(','),
    PORT: '0',
    POST_SCHEDULE: '*/1 * * * * *',
    ARTICLES_DIR: join(dir, 'articles'),
    DATABASE_URL: `sqlite:${join(dir, 'data', 'bot.db')}`,
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Drop a new article file into the folder. Written under a dot-name and renamed, so the watcher
 * never sees half a file.
 */
export function dropArticle(articlesDir: string, n: number): string {
  const title = `Delivery test story ${n}: harbour cranes restart`;
  const text = `${title}\n\nBy Test Desk\n\nCrane number ${n} started again at dawn after a week of repairs. Dock workers cleared the backlog by noon.\n\nThe port authority said traffic would be normal by Friday.\n`;
  const tmp = join(articlesDir, `.story-${n}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, join(articlesDir, `story-${n}.txt`));
  return title;
}

/** The article a Discord message was posted for, read from its Summary button. */
export function discordArticleOf(message: { components: unknown[] }): string | undefined {
  for (const row of message.components as { components?: { custom_id?: string }[] }[]) {
    for (const component of row.components ?? []) {
      const match = /^news:summary:(.+)$/.exec(component.custom_id ?? '');
      if (match) return match[1];
    }
  }
  return undefined;
}

export interface Tally {
  /** Messages that exist, per `channel article` pair. */
  posted: Map<string, number>;
  /** Total messages that exist. */
  messages: number;
}

/** Discord messages stored by the fake (it drops a resend whose nonce it has seen). */
export function discordTally(
  fake: FakeDiscord,
): Tally & { postRequests: number; distinctNonces: number; accepted: number } {
  const posted = new Map<string, number>();
  let messages = 0;
  for (const [channel, list] of fake.state.messages) {
    for (const message of list) {
      messages += 1;
      const key = `${channel} ${discordArticleOf(message) ?? '?'}`;
      posted.set(key, (posted.get(key) ?? 0) + 1);
    }
  }
  const posts = fake.requests.filter(
    (request) => request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path),
  );
  const accepted = posts.filter((request) => request.status === 200);
  const nonces = new Set(
    accepted.map((request) => `${request.path} ${String((request.body as { nonce?: unknown }).nonce)}`),
  );
  return { posted, messages, postRequests: posts.length, accepted: accepted.length, distinctNonces: nonces.size };
}

/** Slack posts the fake answered ok, per `channel article` pair (Slack has no nonce: every ok is a message). */
export function slackTally(fake: FakeSlack): Tally & { calls: number } {
  const posted = new Map<string, number>();
  let messages = 0;
  for (const answer of fake.postAnswers) {
    if (!answer.ok) continue;
    messages += 1;
    const key = `${answer.channel} ${answer.articleId ?? '?'}`;
    posted.set(key, (posted.get(key) ?? 0) + 1);
  }
  return { posted, messages, calls: fake.postAnswers.length };
}

/** Pairs posted other than exactly once, as `channel article ×n` (empty when all is well). */
export function notExactlyOnce(tally: Tally, channels: string[], articleIds: string[]): string[] {
  const wrong: string[] = [];
  for (const channel of channels) {
    for (const id of articleIds) {
      const count = tally.posted.get(`${channel} ${id}`) ?? 0;
      if (count !== 1) wrong.push(`${channel} ${id} ×${count}`);
    }
  }
  for (const [key, count] of tally.posted) {
    const [channel, id] = key.split(' ');
    if (!channels.includes(channel!) || !articleIds.includes(id!)) wrong.push(`${key} ×${count} (unexpected)`);
  }
  return wrong;
}

/** A small seeded generator (mulberry32), so a failing kill schedule can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export { sleep } from '../../support/poll.js';

/** Poll `check` every few milliseconds until it holds; throw with `what` after `timeoutMs`. */
export const until = (check: () => boolean, what: string, timeoutMs = 20_000, everyMs = 5): Promise<void> =>
  pollUntil(check, what, { timeoutMs, everyMs });

/**
 * What the fake Discord took in the window before its first global 429, by kind (`status METHOD
 * path`), with the spread of their stamps: a failure says whether posts crowded the window, another
 * kind of request joined them, or the fake read a spaced stream late.
 */
export function beforeFirstRefusal(fake: FakeDiscord): string {
  const first = fake.requests.find((request) => request.status === 429);
  if (!first) return 'no 429';
  const window = fake.requests.filter((request) => request.at > first.at - 1_000 && request.at <= first.at);
  const kinds: Record<string, number> = {};
  for (const request of window) {
    const kind = `${request.status} ${request.method} ${request.path.replace(/\d{6,}/g, ':id')}`;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  const lateRead = window.filter((request) => request.at - request.earliestAt > 5).length;
  return JSON.stringify({ kinds, lateRead, refusedAt: first.at, firstInWindowAt: window[0]?.at });
}
