import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';
import {
  botEnv,
  channelIds,
  discordTally,
  dropArticle,
  slackTally,
  startFakes,
  until,
  type Fakes,
} from './support/fakes.js';

const CHANNELS = 120;
const LATENCY = { ms: 100, jitter: 0.5 };

/**
 * One article to N Discord and N Slack channels, the real bot process against fakes that answer in
 * 100 ms ± 50% and enforce Discord's 50/s and Slack's 1/s per channel. Each platform has its own
 * track: Slack does not wait behind Discord's queue, and a Slack outage does not slow Discord.
 * (The exact first-post figures are `npm run bench:fanout` lines.)
 */
describe('each platform on its own track (bot process, fakes with latency)', () => {
  let fakes: Fakes | undefined;
  let bot: BotProcess | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    await bot?.exited;
    await fakes?.close();
    cleanup?.();
    fakes = bot = cleanup = undefined;
  });

  async function running(): Promise<{ fakes: Fakes; articles: string }> {
    fakes = await startFakes({
      discord: { globalLimit: { limit: 50, windowMs: 1_000 }, latency: LATENCY },
      slack: { postLimit: { perChannel: 1, windowMs: 1_000 }, latency: LATENCY },
    });
    const dir = tempDir('newsdesk-tracks-');
    cleanup = dir.cleanup;
    bot = startBot('main', [], botEnv(fakes, dir.dir, channelIds(CHANNELS), { LOG_LEVEL: 'warn' }));
    const f = fakes;
    await until(
      () => f.discord.requests.some((r) => r.path === '/gateway/bot') && f.slack.callsTo('auth.test').length > 0,
      'the bot to start',
      60_000,
      20,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    return { fakes: f, articles: join(dir.dir, 'articles') };
  }

  const discordPosts = (f: Fakes) =>
    f.discord.requests
      .filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.status === 200)
      .map((r) => r.at);

  it("Slack's first post goes out while Discord is still fanning out", async () => {
    const { fakes: f, articles } = await running();
    dropArticle(articles, 1);
    await until(
      () => discordTally(f.discord).messages >= CHANNELS && slackTally(f.slack).messages >= 1,
      'Discord to finish',
      60_000,
      20,
    );
    const discord = discordPosts(f);
    const slackFirst = Math.min(...f.slack.postAnswers.filter((a) => a.ok).map((a) => a.at));
    // 120 Discord posts take at least two windows; Slack's first is not behind them.
    expect(slackFirst).toBeLessThan(Math.max(...discord));
    expect(slackFirst - Math.min(...discord)).toBeLessThan(1_000);
    expect(f.discord.state.globalOverLimit + f.discord.state.overLimit).toBe(0);
  });

  it('a Slack outage does not slow Discord', async () => {
    const { fakes: f, articles } = await running();
    f.slack.on('chat.postMessage', () => ({ status: 503, body: { ok: false, error: 'service_unavailable' } }));
    const dropped = Date.now();
    dropArticle(articles, 2);
    await until(() => discordTally(f.discord).messages >= CHANNELS, 'Discord to finish', 60_000, 20);
    // 120 posts at 50/s: three windows after the tick (up to 1 s) and the watcher; Slack's failures change nothing.
    expect(Date.now() - dropped).toBeLessThan(8_000);
    expect(f.slack.callsTo('chat.postMessage').length).toBeGreaterThan(0);
    expect(slackTally(f.slack).messages).toBe(0);
  });
});
