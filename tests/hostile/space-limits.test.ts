import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { loadConfig } from '../../src/config.js';
import type { ChannelId } from '../../src/domain/channel.js';
import type { Invocation } from '../../src/domain/invocation.js';
import { shortestCronInterval, type SpaceLimits } from '../../src/domain/limits.js';
import type { Reply } from '../../src/domain/reply.js';
import { createFeedCommandsPort } from '../../src/ingest/feeds/feed-commands-port.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { silentLog } from '../delivery/support/scripted-adapter.js';

const text = (reply: Reply) => (reply.kind === 'text' ? reply.text : JSON.stringify(reply));

describe('shortestCronInterval', () => {
  it.each([
    ['* * * * * *', 1],
    ['*/10 * * * * *', 10],
    ['0,30 * * * * *', 30],
    ['* * * * *', 60],
    ['*/10 * * * *', 600],
    ['0 9 * * *', 86_400],
    ['0 9,17 * * 1-5', 28_800],
    ['5 0-59/2 * * * *', 120],
    ['0 0 23 * * *', 86_400],
  ])('%s runs at most every %i s', (expression, seconds) => {
    expect(shortestCronInterval(expression)).toBe(seconds);
  });

  it('does not guess at syntax it cannot read', () => {
    expect(shortestCronInterval('L * * * *')).toBeUndefined();
    expect(shortestCronInterval('* * *')).toBeUndefined();
  });
});

describe('per-space caps through the real executor (temp SQLite)', () => {
  let dir: string;
  let stores: SqliteStores;
  let execute: Executor;
  const limits: SpaceLimits = { scheduleMinSeconds: 60, subscriptionsPerSpace: 2, feedsPerSpace: 2 };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-limits-'));
    stores = openSqliteStores(path.join(dir, 'news.db'));
    const feeds = createFeedCommandsPort({
      feedStore: stores.feeds,
      allowPrivate: false,
      resolve: async () => [{ address: '93.184.216.34', family: 4 }],
    });
    execute = createExecutor({ stores, log: silentLog, now: () => '2030-01-03T12:00:00.000Z', feeds, limits });
  });
  afterEach(async () => {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (
    sub: string,
    args: Record<string, string>,
    channel: ChannelId,
    space = 'guild1',
    overrides: Partial<Invocation> = {},
  ) =>
    execute({
      command: 'news',
      sub,
      args,
      user: { platform: 'discord', id: 'admin', canManage: true },
      channel,
      space,
      ...overrides,
    });

  it('refuses a schedule faster than SCHEDULE_MIN_SECONDS, naming both, and saves nothing', async () => {
    const reply = await call('subscribe', { schedule: '* * * * * *' }, 'discord:1');
    expect(reply).toMatchObject({ tone: 'error' });
    expect(text(reply)).toBe(
      '"* * * * * *" would post every 1 s; this bot allows at most one run every 60 s. Nothing was saved.',
    );
    expect(await stores.subscriptions.getSubscription('discord:1')).toBeUndefined();
    expect(await call('subscribe', { schedule: '* * * * *' }, 'discord:1')).toMatchObject({
      tone: 'info',
      title: 'Subscribed',
    });
  });

  it('caps subscriptions per space; updating one and other spaces are not affected', async () => {
    expect(await call('subscribe', {}, 'discord:1')).toMatchObject({ tone: 'info' });
    expect(await call('subscribe', {}, 'discord:2')).toMatchObject({ tone: 'info' });
    const third = await call('subscribe', {}, 'discord:3');
    expect(third).toMatchObject({ tone: 'error' });
    expect(text(third)).toContain('already has 2 subscriptions, the most allowed (2)');
    expect(await stores.subscriptions.getSubscription('discord:3')).toBeUndefined();
    expect(await call('subscribe', { filter: 'budget' }, 'discord:2')).toMatchObject({
      tone: 'info',
      title: 'Subscription updated',
    });
    expect(await call('subscribe', {}, 'discord:9', 'guild2')).toMatchObject({ tone: 'info', title: 'Subscribed' });
  });

  it('caps feeds added from one space; re-adding a known feed and other spaces are not affected', async () => {
    for (const n of [1, 2]) {
      expect(await call('feeds add', { url: `https://news.example/${n}.xml` }, 'discord:1')).toMatchObject({
        tone: 'info',
      });
    }
    const third = await call('feeds add', { url: 'https://news.example/3.xml' }, 'discord:1');
    expect(third).toMatchObject({ tone: 'error' });
    expect(text(third)).toContain('already has 2 feeds, the most allowed (2)');
    expect(await call('feeds add', { url: 'https://news.example/1.xml' }, 'discord:1')).toMatchObject({ tone: 'info' });
    expect(await call('feeds add', { url: 'https://news.example/3.xml' }, 'discord:9', 'guild2')).toMatchObject({
      tone: 'info',
    });
    // The same URL is one feed row, linked to the second space.
    expect((await stores.feeds.links('https://news.example/3.xml')).map((link) => link.space)).toEqual(['guild2']);
  });

  it('the caps come from configuration, with defaults', () => {
    expect(loadConfig({}).limits).toEqual({ scheduleMinSeconds: 60, subscriptionsPerSpace: 50, feedsPerSpace: 20 });
    expect(
      loadConfig({ SCHEDULE_MIN_SECONDS: '1', MAX_SUBSCRIPTIONS_PER_SPACE: '5', MAX_FEEDS_PER_SPACE: '3' }).limits,
    ).toEqual({
      scheduleMinSeconds: 1,
      subscriptionsPerSpace: 5,
      feedsPerSpace: 3,
    });
    expect(() => loadConfig({ MAX_FEEDS_PER_SPACE: '0' })).toThrow(/^MAX_FEEDS_PER_SPACE:/);
  });
});
