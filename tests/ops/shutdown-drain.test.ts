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
    expect(bot.logs().map((line) => line.msg)).toEqual(expect.arrayContaining(['shutting down', 'article posted', 'stopped']));
  });
});
