import { afterEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { postSigned, slashCommandBody } from '../fakes/slack/sign.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';

const SECRET = 'start-up-signing-secret';

/**
 * A restart: the HTTP server listens while the Slack adapter still waits for auth.test (the fake
 * holds its answer). Slack's requests in that window used to meet a 404.
 */
describe('/slack/events during start-up (bot process, fake Slack with a slow auth.test)', () => {
  let bot: BotProcess | undefined;
  let slack: FakeSlack | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    bot?.child.kill('SIGKILL');
    await bot?.exited;
    await slack?.stop();
    cleanup?.();
    bot = slack = cleanup = undefined;
  });

  async function starting(authDelayMs: number): Promise<string> {
    slack = await new FakeSlack().start();
    slack.authDelayMs = authDelayMs;
    const dir = tempDir('newsdesk-early-events-');
    cleanup = dir.cleanup;
    bot = startBot('main', [], {
      SLACK_BOT_TOKEN: 'xoxb-fake',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      ARTICLES_DIR: dir.dir,
      DATABASE_URL: `sqlite:${dir.dir}/bot.db`,
    });
    let port = 0;
    await bot.waitFor(() => {
      const line = bot!.logs().find((entry) => entry.msg === 'http listening');
      port = Number(line?.port ?? 0);
      return port > 0;
    }, 'the HTTP server to listen');
    return `http://127.0.0.1:${port}/slack/events`;
  }

  it('holds a signed command until the adapter is ready, then answers it; a forged one gets 401 at once', async () => {
    const url = await starting(1_200);
    const started = Date.now();
    const forged = await postSigned(url, {
      signingSecret: 'not-the-secret',
      rawBody: slashCommandBody({ text: 'help', responseUrl: slack!.responseUrl('forged') }),
    });
    expect(forged.status).toBe(401);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(slack!.authAnsweredAt).toBeUndefined();

    const ack = await postSigned(url, {
      signingSecret: SECRET,
      rawBody: slashCommandBody({ text: 'help', responseUrl: slack!.responseUrl('early') }),
    });
    const ackedAt = Date.now();
    expect(ack.status).toBe(200);
    // Held while auth.test was out, answered once the adapter was ready, within Slack's 3 s.
    expect(slack!.authAnsweredAt).toBeDefined();
    expect(ackedAt).toBeGreaterThanOrEqual(slack!.authAnsweredAt!);
    expect(ackedAt - started).toBeLessThan(3_000);
    const reply = await slack!.waitFor(() => slack!.responses.find((entry) => entry.path === '/response/early'), 8_000);
    expect(JSON.stringify(reply.body)).toMatch(/news/i);
    expect(slack!.responses.some((entry) => entry.path === '/response/forged')).toBe(false);
  });

  it('answers 503 at 2.5 s when the adapter is still not ready', async () => {
    const url = await starting(6_000);
    const started = Date.now();
    const ack = await postSigned(url, {
      signingSecret: SECRET,
      rawBody: slashCommandBody({ text: 'help', responseUrl: slack!.responseUrl('late') }),
    });
    const took = Date.now() - started;
    expect(ack.status).toBe(503);
    expect(took).toBeGreaterThanOrEqual(2_300);
    expect(took).toBeLessThan(3_000);
  });
});
