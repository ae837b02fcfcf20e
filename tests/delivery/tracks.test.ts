import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';
import {
  beforeFirstRefusal,
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
    // Discord's posts are held in flight until Slack has posted once: a Slack track that waited behind
    // Discord's queue would never post, and the wait below would time out.
    let releaseDiscord: () => void = () => {};
    const discordHeld = new Promise<void>((resolve) => {
      releaseDiscord = resolve;
    });
    f.discord.state.beforeAnswer = (request) =>
      request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path) ? discordHeld : undefined;
    dropArticle(articles, 1);
    await until(() => slackTally(f.slack).messages >= 1, "Slack's first post while Discord's are held", 30_000, 20);
    const heldDiscord = discordPosts(f).length;
    releaseDiscord();
    f.discord.state.beforeAnswer = undefined;
    await until(() => discordTally(f.discord).messages >= CHANNELS, 'Discord to finish', 60_000, 20);
    // Discord had started (its posts were in flight, unanswered) and had not finished when Slack posted.
    expect(heldDiscord).toBeGreaterThan(0);
    expect(heldDiscord).toBeLessThan(CHANNELS);
    const slackFirst = Math.min(...f.slack.postAnswers.filter((a) => a.ok).map((a) => a.at));
    expect(slackFirst).toBeLessThan(Math.max(...discordPosts(f)));
    expect(f.discord.state.globalOverLimit + f.discord.state.overLimit, beforeFirstRefusal(f.discord)).toBe(0);
  });

  it('a Slack outage does not slow Discord', async () => {
    const { fakes: f, articles } = await running();
    // Slack's posts hang (then fail) until Discord has posted to every channel: a Discord track that
    // waited on Slack's would never finish, and the wait below would time out.
    let endOutage: () => void = () => {};
    f.slack.postHold = new Promise<void>((resolve) => {
      endOutage = resolve;
    });
    f.slack.on('chat.postMessage', () => ({ status: 503, body: { ok: false, error: 'service_unavailable' } }));
    dropArticle(articles, 2);
    await until(() => discordTally(f.discord).messages >= CHANNELS, 'Discord to finish', 60_000, 20);
    const slackCallsDuringOutage = f.slack.callsTo('chat.postMessage').length;
    endOutage();
    expect(slackCallsDuringOutage).toBeGreaterThan(0);
    expect(slackTally(f.slack).messages).toBe(0);
    expect(f.discord.state.globalOverLimit + f.discord.state.overLimit, beforeFirstRefusal(f.discord)).toBe(0);
  });
});
