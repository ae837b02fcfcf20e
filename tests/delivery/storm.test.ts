import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStores } from '../../src/store/sqlite-open.js';
import { startBot, type BotProcess } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';
import {
  botEnv,
  channelIds,
  discordTally,
  dropArticle,
  notExactlyOnce,
  slackTally,
  startFakes,
  until,
  type Fakes,
} from './support/fakes.js';

/**
 * The platforms misbehave for a few seconds while a fan-out runs: a 429 storm, then (in its own
 * test) a 5xx outage. The real bot process keeps the failures visible (ledger reasons, /metrics)
 * and, once the platforms recover, delivers every (article, channel) exactly once.
 */
const CHANNELS = 20;
const POSTS = /^\/channels\/\d+\/messages$/;

describe('platform trouble during fan-out (real bot process)', () => {
  let fakes: Fakes;
  let dir: string;
  let cleanup: () => void;
  let bot: BotProcess | undefined;
  const channels = channelIds(CHANNELS);

  beforeEach(async () => {
    ({ dir, cleanup } = tempDir('newsdesk-storm-'));
    fakes = await startFakes();
    // Store gauges are counted on a timer (never per scrape): every second here.
    bot = startBot('main', [], botEnv(fakes, dir, channels, { METRICS_REFRESH_SECONDS: '1' }));
    await bot.waitFor(() => bot!.stderr().includes('newsdesk ready'), 'the bot to be ready', 20_000);
  });

  afterEach(async () => {
    if (bot && bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
    await fakes.close();
    cleanup();
  });

  const port = () => Number(bot!.logs().find((line) => line.msg === 'http listening')?.port);
  const metrics = async () => (await fetch(`http://127.0.0.1:${port()}/metrics`)).text();
  const metric = (body: string, name: string, labels: string) => {
    const line = body.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  /** Ledger rows as the bot sees them, read through a second connection while it runs. */
  async function ledger() {
    const stores = openSqliteStores(join(dir, 'data', 'bot.db'));
    try {
      const counts = await stores.deliveries.countByState();
      const [article] = await stores.articles.latest(1);
      const rows = article ? await stores.deliveries.forArticle(article.id) : [];
      return { counts, rows, articleId: article?.id };
    } finally {
      await stores.close();
    }
  }

  async function expectExactlyOnce(articleId: string) {
    expect(notExactlyOnce(discordTally(fakes.discord), channels.discord, [articleId])).toEqual([]);
    expect(notExactlyOnce(slackTally(fakes.slack), channels.slack, [articleId])).toEqual([]);
    bot!.child.kill('SIGTERM');
    expect((await bot!.exited).code).toBe(0);
    expect((await ledger()).counts).toEqual({ pending: 0, sending: 0, sent: CHANNELS * 2, failed: 0 });
  }

  it('a 429 storm: every post is refused for a while, then all go out once, and the waits show meanwhile', {
    timeout: 60_000,
  }, async () => {
    // Discord: Retry-After 6 s, longer than discord.js will sleep inside a call, so the dispatcher owns the wait.
    // The storm lasts until the test has seen every row waiting (below), however long that takes.
    const storm = {
      method: 'POST',
      path: POSTS,
      status: 429,
      headers: { 'retry-after': '6', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 6, global: false },
      until: Number.POSITIVE_INFINITY,
    };
    fakes.discord.failNext(storm);
    fakes.slack.on('chat.postMessage', () => ({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { ok: false, error: 'ratelimited' },
    }));
    dropArticle(join(dir, 'articles'), 1);

    await until(
      () =>
        fakes.discord.requests.filter((r) => r.status === 429).length >= CHANNELS &&
        fakes.slack.postAnswers.length >= CHANNELS,
      'every first attempt to be refused',
      15_000,
      20,
    );
    await until(
      () => bot!.logs().filter((line) => line.msg === 'delivery will be retried').length >= CHANNELS * 2,
      'the refusals to reach the ledger',
      10_000,
      20,
    );
    const during = await ledger();
    expect(during.counts.sent).toBe(0);
    const waiting = during.rows.filter((row) => row.state === 'pending' && row.attempts >= 1);
    expect(waiting).toHaveLength(CHANNELS * 2);
    expect(
      waiting
        .filter((row) => row.channel.startsWith('discord:'))
        .every((row) => /Discord rate limit in discord:\d+; retry in [67] s/.test(row.lastError ?? '')),
    ).toBe(true);
    expect(
      waiting
        .filter((row) => row.channel.startsWith('slack:'))
        .every((row) => row.lastError === 'Slack asked us to slow down.'),
    ).toBe(true);
    const body = await metrics();
    expect(metric(body, 'newsdesk_rate_limited_total', 'platform="discord"')).toBeGreaterThanOrEqual(CHANNELS);
    expect(metric(body, 'newsdesk_rate_limited_total', 'platform="slack"')).toBeGreaterThanOrEqual(CHANNELS);
    let pending = 0;
    for (const deadline = Date.now() + 3_000; pending !== CHANNELS * 2 && Date.now() < deadline; ) {
      pending = metric(await metrics(), 'newsdesk_delivery_rows', 'state="pending"');
      if (pending !== CHANNELS * 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pending).toBe(CHANNELS * 2);

    storm.until = 0; // the storm is over
    fakes.slack.on('chat.postMessage');
    await until(
      () => discordTally(fakes.discord).messages >= CHANNELS && slackTally(fakes.slack).messages >= CHANNELS,
      'recovery',
      30_000,
      50,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // 429s never count as attempts towards giving up.
    expect((await ledger()).counts.failed).toBe(0);
    await expectExactlyOnce(during.articleId!);
  });

  it('a 5xx outage: posts fail and back off, the reasons show meanwhile, and after recovery all go out once', {
    timeout: 60_000,
  }, async () => {
    // The outage lasts until the test has seen every row backing off (below), however long that takes.
    const outage = {
      method: 'POST',
      path: POSTS,
      status: 503,
      body: { message: 'upstream connect error' },
      until: Number.POSITIVE_INFINITY,
    };
    fakes.discord.failNext(outage);
    fakes.slack.on('chat.postMessage', () => ({ status: 503, body: { ok: false, error: 'service_unavailable' } }));
    dropArticle(join(dir, 'articles'), 1);

    await until(
      () => bot!.logs().filter((line) => line.msg === 'delivery will be retried').length >= CHANNELS * 2,
      'every first attempt to fail',
      15_000,
      20,
    );
    const during = await ledger();
    const retrying = during.rows.filter((row) => row.state === 'pending' && row.attempts >= 1);
    expect(retrying).toHaveLength(CHANNELS * 2);
    expect(
      retrying
        .filter((row) => row.channel.startsWith('discord:'))
        .every((row) => /^Discord answered 503 in discord:\d+$/.test(row.lastError ?? '')),
    ).toBe(true);
    expect(
      retrying
        .filter((row) => row.channel.startsWith('slack:'))
        .every((row) => (row.lastError ?? '').startsWith('Slack call chat.postMessage failed')),
    ).toBe(true);
    // Backoff, not a hammering: each row waits before its next try.
    expect(retrying.every((row) => Date.parse(row.notBefore!) > Date.parse(row.updatedAt))).toBe(true);
    const body = await metrics();
    expect(
      metric(body, 'newsdesk_deliveries_total', 'outcome="retried",platform="discord"') +
        metric(body, 'newsdesk_deliveries_total', 'platform="discord",outcome="retried"'),
    ).toBeGreaterThanOrEqual(CHANNELS);

    outage.until = 0; // the outage is over
    fakes.slack.on('chat.postMessage');
    await until(
      () => discordTally(fakes.discord).messages >= CHANNELS && slackTally(fakes.slack).messages >= CHANNELS,
      'recovery',
      40_000,
      50,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await expectExactlyOnce(during.articleId!);
  });
});
