import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { startBot } from '../support/bot-process.js';
import { seededBotEnv } from '../support/bot-env.js';

describe('shutdown with a post in flight', () => {
  let slack: FakeSlack;
  let fixture: ReturnType<typeof seededBotEnv>;
  beforeEach(async () => {
    slack = await new FakeSlack().start();
    fixture = seededBotEnv();
  });
  afterEach(async () => {
    await slack.stop();
    fixture.cleanup();
  });

  it('lets the post finish before disconnecting, exits 0, and leaves nothing in sending', async () => {
    slack.postDelayMs = 2_000;
    const bot = startBot('main', [], {
      ...fixture.env,
      SLACK_BOT_TOKEN: 'xoxb-fake',
      SLACK_SIGNING_SECRET: 'fake-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL_IDS: 'C0SHUTDOWN',
    });
    await bot.waitFor(() => slack.calls.some((call) => call.method === 'chat.postMessage'), 'a post to be in flight');
    bot.child.kill('SIGTERM');
    const exit = await bot.exited;
    expect(exit.code).toBe(0);
    expect(slack.postAnswers.filter((answer) => answer.ok)).toHaveLength(1);
    const db = new Database(join(fixture.dir, 'data', 'bot.db'), { readonly: true });
    const rows = db.prepare('SELECT state, count(*) AS n FROM deliveries GROUP BY state').all();
    db.close();
    expect(rows).toEqual([{ state: 'sent', n: 1 }]);
    expect(bot.logs().map((line) => line.msg)).toEqual(
      expect.arrayContaining(['shutting down', 'article posted', 'stopped']),
    );
  });

  it('a second signal exits at once, and the restart resolves the post left in flight', async () => {
    slack.postDelayMs = 5_000;
    const env = {
      ...fixture.env,
      SLACK_BOT_TOKEN: 'xoxb-fake',
      SLACK_SIGNING_SECRET: 'fake-signing-secret',
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL_IDS: 'C0FORCED',
    };
    const bot = startBot('main', [], env);
    await bot.waitFor(() => slack.calls.some((call) => call.method === 'chat.postMessage'), 'a post to be in flight');
    bot.child.kill('SIGTERM');
    await bot.waitFor(() => bot.logs().some((line) => line.msg === 'shutting down'), 'shutdown to begin');
    const signalled = Date.now();
    bot.child.kill('SIGTERM');
    expect((await bot.exited).code).toBe(1);
    expect(Date.now() - signalled).toBeLessThan(2_000);
    expect(bot.logs().map((line) => line.msg)).toContain('second signal: exiting now');

    // The fake still takes that post; on restart the bot finds it instead of posting again.
    slack.postDelayMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const again = startBot('main', [], env);
    await again.waitFor(
      () => again.logs().some((line) => line.msg === 'delivery recovered after restart'),
      'the in-flight post to be recovered',
      15_000,
    );
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(0);
    expect(slack.postAnswers.filter((answer) => answer.ok)).toHaveLength(1);
  });
});
