import { deliveryOf, dueRows } from '../support/deliveries.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryControl } from '../../commands/command.js';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { createFanOut } from '../../src/delivery/fan-out.js';
import type { ChannelId } from '../../src/domain/channel.js';
import type { Invocation } from '../../src/domain/invocation.js';
import type { Reply } from '../../src/domain/reply.js';
import { parseFilter } from '../../src/domain/subscription.js';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import { makeInput } from '../support/articles.js';
import { ledgerWithArticles, silentLog, subscription } from './support/scripted-adapter.js';

const CHANNEL: ChannelId = 'discord:500';
const NOW = '2030-01-03T12:00:00.000Z';

function text(reply: Reply): string {
  if (reply.kind !== 'text') throw new Error(`expected a text reply, got ${reply.kind}`);
  return reply.text;
}

describe('subscription commands through the real executor (temp SQLite)', () => {
  let stores: SqliteStores;
  let ids: string[];
  let close: () => Promise<void>;
  let execute: Executor;
  let changes: number;

  beforeEach(async () => {
    ({ stores, ids, close } = await ledgerWithArticles(4));
    changes = 0;
    const delivery: DeliveryControl = {
      defaultSchedule: '*/10 * * * *',
      defaultTimezone: 'UTC',
      nextRun: () => new Date('2030-01-03T12:10:00.000Z'),
      changed: async () => void (changes += 1),
    };
    execute = createExecutor({ stores, log: silentLog, now: () => NOW, delivery });
  });
  afterEach(async () => close());

  const call = (sub: string, args: Record<string, string> = {}, overrides: Partial<Invocation> = {}) =>
    execute({
      command: 'news',
      sub,
      args,
      user: { platform: 'discord', id: 'admin1', canManage: true },
      channel: CHANNEL,
      space: 'guild1',
      ...overrides,
    });

  it('subscribe saves schedule, time zone, filter and digest, and backfills the newest N matching articles', async () => {
    const reply = await call('subscribe', {
      schedule: '0 9 * * *',
      timezone: 'Europe/Berlin',
      filter: 'dispatch -weather',
      digest: '3',
      backfill: '2',
    });
    expect(reply).toMatchObject({ kind: 'text', tone: 'info', title: 'Subscribed' });
    expect(text(reply)).toContain('schedule "0 9 * * *" (Europe/Berlin)');
    expect(text(reply)).toContain('digest of up to 3');
    expect(text(reply)).toContain('2 recent articles will be posted on the next run');
    const saved = await stores.subscriptions.getSubscription(CHANNEL);
    expect(saved).toMatchObject({
      schedule: '0 9 * * *',
      timezone: 'Europe/Berlin',
      digest: 3,
      paused: false,
      origin: 'command',
      createdBy: 'admin1',
      space: 'guild1',
    });
    expect(saved?.filter).toEqual(parseFilter('dispatch -weather'));
    // The two newest articles, queued oldest first so the channel reads in order.
    const queued = await dueRows(stores.deliveries, {
      now: '2031-01-01T00:00:00.000Z',
      limit: 10,
      perChannel: 10,
      channels: [CHANNEL],
    });
    expect(queued.map((row) => row.articleId).sort()).toEqual([ids[2], ids[3]].sort());
    expect(changes).toBe(1);
  });

  it('without backfill a new subscription queues nothing: it starts with articles that arrive after it', async () => {
    const reply = await call('subscribe');
    expect(text(reply)).toContain('New articles will be posted from now on');
    expect(await stores.deliveries.countByState()).toMatchObject({ pending: 0 });
  });

  it('a bad cron expression or a bad regex gets a clear message and saves nothing', async () => {
    const cron = await call('subscribe', { schedule: 'every morning', backfill: '2' });
    expect(cron).toMatchObject({ kind: 'text', tone: 'error' });
    expect(text(cron)).toBe(
      '"every morning" is not a cron schedule. Example: "0 9 * * *" for 09:00 every day. Nothing was saved.',
    );
    const regex = await call('subscribe', { filter: '/(unclosed/', backfill: '2' });
    expect(regex).toMatchObject({ kind: 'text', tone: 'error' });
    expect(text(regex)).toMatch(/^The filter regex is not valid: .+\. Nothing was saved\.$/);
    const zone = await call('subscribe', { timezone: 'Mars/Olympus' });
    expect(text(zone)).toContain('is not a time zone');
    expect(await stores.subscriptions.getSubscription(CHANNEL)).toBeUndefined();
    expect(await stores.deliveries.countByState()).toMatchObject({ pending: 0 });
    expect(changes).toBe(0);
  });

  it('refuses a user who may not manage the channel, for every command that changes subscriptions', async () => {
    await stores.subscriptions.putSubscription(subscription(CHANNEL));
    const member = { platform: 'discord' as const, id: 'member1', canManage: false };
    for (const sub of ['subscribe', 'unsubscribe', 'pause', 'resume']) {
      const reply = await call(sub, {}, { user: member });
      expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
      expect(text(reply)).toContain('You need permission to manage this channel');
    }
    expect(await stores.subscriptions.getSubscription(CHANNEL)).toMatchObject({
      paused: false,
      origin: 'command',
      createdBy: undefined,
    });
    // Reading is open to everyone.
    expect(text(await call('status', {}, { user: member }))).toContain('Last post: none yet.');
  });

  it('pause stops fan-out to the channel, resume starts it again', async () => {
    const fanOut = createFanOut({ stores, log: silentLog, onUpdate: 'ignore' });
    await call('subscribe');
    expect(text(await call('pause'))).toBe('Paused. Nothing is posted here until /news resume.');
    expect(text(await call('pause'))).toContain('already paused');
    await fanOut(await stores.articles.upsert(makeInput({ title: 'Arrived while paused' }), NOW));
    expect(await stores.deliveries.countByState()).toMatchObject({ pending: 0 });
    expect(text(await call('subscriptions'))).toContain('PAUSED');

    expect(text(await call('resume'))).toMatch(/^Resumed\. discord:500: everything/);
    const late = await stores.articles.upsert(makeInput({ title: 'Arrived after resume' }), NOW);
    await fanOut(late);
    expect((await stores.deliveries.forArticle(late.article.id)).map((row) => row.channel)).toEqual([CHANNEL]);
    expect(changes).toBe(3);
  });

  it('unsubscribe removes the subscription; the listing shows what is left in the space', async () => {
    await call('subscribe', { filter: 'harbour' });
    await call('subscribe', { digest: '2' }, { channel: 'discord:501' });
    const listing = await call('subscriptions');
    expect(listing).toMatchObject({ kind: 'text', title: 'Subscriptions (2)' });
    expect(text(listing)).toContain('discord:500: harbour');
    expect(text(listing)).toContain('discord:501: everything · digest of up to 2');

    expect(text(await call('unsubscribe'))).toContain('Unsubscribed discord:500');
    expect(await stores.subscriptions.getSubscription(CHANNEL)).toBeUndefined();
    expect(text(await call('unsubscribe'))).toContain('This channel has no subscription');
    expect(text(await call('subscriptions'))).not.toContain('discord:500');
  });

  it('status explains the channel: the last post, what waits, and each failure with its reason', async () => {
    await call('subscribe');
    await stores.deliveries.enqueue(ids[0]!, [CHANNEL], NOW);
    await stores.deliveries.enqueue(ids[1]!, [CHANNEL], NOW);
    await stores.deliveries.enqueue(ids[2]!, [CHANNEL], NOW);
    await stores.deliveries.markSending(ids[0]!, CHANNEL, NOW);
    await stores.deliveries.markSent(ids[0]!, CHANNEL, 'm1', '2030-01-03T12:01:00.000Z');
    for (let i = 0; i < 5; i += 1) await stores.deliveries.markSending(ids[1]!, CHANNEL, NOW);
    await stores.deliveries.markFailed(
      ids[1]!,
      CHANNEL,
      'Discord answered 502 in discord:500 (gave up after 5 attempts)',
      '2030-01-03T12:05:00.000Z',
    );

    const reply = await call('status');
    expect(reply).toMatchObject({ kind: 'text', ephemeral: true, title: 'Status of discord:500' });
    const lines = text(reply).split('\n');
    expect(lines[0]).toContain('discord:500: everything · one post per article');
    expect(lines).toContain(`Last post: 2030-01-03 12:01 UTC: Dispatch story 1 (id ${ids[0]})`);
    expect(lines).toContain('Waiting: 1.');
    expect(lines).toContain('Failures (1 most recent):');
    expect(lines).toContain(
      `• 2030-01-03 12:05 UTC article ${ids[1]}: Discord answered 502 in discord:500 (gave up after 5 attempts) (5 attempts)`,
    );
  });

  it('retry sends failed posts again, for managers only', async () => {
    const member = { platform: 'discord' as const, id: 'member1', canManage: false };
    await call('subscribe');
    await stores.deliveries.enqueue(ids[0]!, [CHANNEL], NOW);
    await stores.deliveries.markFailed(ids[0]!, CHANNEL, 'Missing Permissions', NOW);
    expect(text(await call('status'))).toContain('Once the cause is fixed, /news retry sends them again.');
    expect(text(await call('retry', {}, { user: member }))).toMatch(/You need permission to manage this channel/);
    expect(await deliveryOf(stores.deliveries, ids[0]!, CHANNEL)).toMatchObject({ state: 'failed' });
    expect(text(await call('retry'))).toBe('1 failed post will be sent again on the next run.');
    expect(await deliveryOf(stores.deliveries, ids[0]!, CHANNEL)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(text(await call('retry'))).toBe('Nothing to retry: no failed posts in this channel.');
  });

  it('status explains a retry while it lasts: the reason and the next try', async () => {
    await call('subscribe');
    await stores.deliveries.enqueue(ids[0]!, [CHANNEL], NOW);
    await stores.deliveries.markSending(ids[0]!, CHANNEL, NOW);
    await stores.deliveries.markRetry(
      ids[0]!,
      CHANNEL,
      'Discord is rate limiting discord:500 (retry after 6000 ms)',
      '2030-01-03T12:10:00.000Z',
      NOW,
    );
    const lines = text(await call('status')).split('\n');
    expect(lines).toContain('Waiting: 1.');
    expect(lines).toContain('Retrying (1 most recent):');
    expect(lines).toContain(
      `• article ${ids[0]}: Discord is rate limiting discord:500 (retry after 6000 ms) (1 attempt, next try 2030-01-03 12:10 UTC)`,
    );
    expect(lines).toContain('Failures: none.');
  });
});

describe('filters decide fan-out', () => {
  let stores: SqliteStores;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ stores, close } = await ledgerWithArticles(0));
  });
  afterEach(async () => close());

  it('include, exclude, tag, source and regex each pick their channels; paused channels get nothing', async () => {
    const filters: Record<string, string> = {
      'discord:all': '',
      'discord:include': 'harbour "night shift"',
      'discord:exclude': '-strike',
      'discord:tag': 'tag:ports',
      'discord:source': 'source:"Harbour Gazette"',
      'slack:regex': '/crane[s]? \\d+/',
    };
    for (const [channel, filter] of Object.entries(filters)) {
      await stores.subscriptions.putSubscription(subscription(channel as ChannelId, { filter: parseFilter(filter) }));
    }
    await stores.subscriptions.putSubscription(subscription('discord:paused', { paused: true }));
    const fanOut = createFanOut({ stores, log: silentLog, onUpdate: 'ignore' });
    const channelsFor = async (overrides: Parameters<typeof makeInput>[0]) => {
      const result = await stores.articles.upsert(makeInput(overrides), NOW);
      await fanOut(result);
      return (await stores.deliveries.forArticle(result.article.id)).map((row) => row.channel).sort();
    };

    expect(
      await channelsFor({
        title: 'Harbour opens late',
        body: [{ type: 'paragraph', text: 'The harbour opened at ten.' }],
      }),
    ).toEqual(['discord:all', 'discord:exclude', 'discord:include'].sort());
    expect(
      await channelsFor({ title: 'Strike at the harbour', body: [{ type: 'paragraph', text: 'A strike began.' }] }),
    ).toEqual(['discord:all', 'discord:include'].sort());
    expect(
      await channelsFor({
        title: 'Night shift ends',
        body: [{ type: 'paragraph', text: 'Crane 7 stopped.' }],
        tags: ['Ports'],
      }),
    ).toEqual(['discord:all', 'discord:exclude', 'discord:include', 'discord:tag', 'slack:regex'].sort());
    expect(
      await channelsFor({
        title: 'Quiet day',
        body: [{ type: 'paragraph', text: 'Nothing happened.' }],
        publishers: ['Harbour Gazette'],
      }),
    ).toEqual(['discord:all', 'discord:exclude', 'discord:source'].sort());
    // Whole words only: "harbourside" is not "harbour".
    expect(await channelsFor({ title: 'Harbourside cafe', body: [{ type: 'paragraph', text: 'Coffee.' }] })).toEqual(
      ['discord:all', 'discord:exclude'].sort(),
    );
  });
});
