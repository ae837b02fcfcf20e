import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { scheduleSuggestions, timeZoneSuggestions } from '../../commands/option-suggestions.js';
import type { ChannelId } from '../../src/domain/channel.js';
import type { Reply } from '../../src/domain/reply.js';
import { parseFilter } from '../../src/domain/subscription.js';
import type { SqliteStores } from '../../src/store/sqlite-open.js';
import { ledgerWithArticles, silentLog } from '../delivery/support/scripted-adapter.js';

const CHANNEL: ChannelId = 'discord:500';
const ROLE = '123456789012345678';

function text(reply: Reply): string {
  if (reply.kind !== 'text') throw new Error(`expected a text reply, got ${reply.kind}`);
  return reply.text;
}

describe('friendly subscribe (real executor, temp SQLite)', () => {
  let stores: SqliteStores;
  let close: () => Promise<void>;
  let execute: Executor;

  beforeEach(async () => {
    ({ stores, close } = await ledgerWithArticles(3));
    execute = createExecutor({ stores, log: silentLog, now: () => '2030-01-03T12:00:00.000Z' });
  });
  afterEach(async () => close());

  const call = (sub: string, args: Record<string, string> = {}, channel: ChannelId = CHANNEL) =>
    execute({
      command: 'news',
      sub,
      args,
      user: { platform: 'discord', id: 'admin1', canManage: true },
      channel,
      space: 'g1',
    });

  it('options not given keep their value; backfill alone wipes nothing', async () => {
    await call('subscribe', {
      schedule: '0 9 * * *',
      filter: 'dispatch',
      digest: '3',
      style: 'compact',
      mention: `<@&${ROLE}>`,
    });
    const reply = await call('subscribe', { backfill: '2' });
    expect(reply).toMatchObject({ title: 'Subscription updated' });
    const saved = await stores.subscriptions.getSubscription(CHANNEL);
    expect(saved).toMatchObject({ schedule: '0 9 * * *', digest: 3 });
    expect(saved?.filter).toEqual(parseFilter('dispatch'));
    expect(saved?.presentation).toMatchObject({ style: 'compact', mentions: [{ kind: 'role', id: ROLE }] });
    // The reply shows the resulting subscription, not only "updated".
    expect(text(reply)).toContain('schedule "0 9 * * *"');
    expect(text(reply)).toContain('digest of up to 3');
    expect(text(reply)).toContain('style compact');
    expect(text(reply)).toContain(`mentions <@&${ROLE}>`);
  });

  it('reset clears only the options it names', async () => {
    await call('subscribe', { schedule: '0 9 * * *', filter: 'dispatch', template: '{title}', image: 'off' });
    await call('subscribe', { reset: 'filter,template' });
    const saved = await stores.subscriptions.getSubscription(CHANNEL);
    expect(saved?.schedule).toBe('0 9 * * *');
    expect(saved?.filter).toEqual(parseFilter(''));
    expect(saved?.presentation).toMatchObject({ image: false });
    expect(saved?.presentation?.template).toBeUndefined();
    const bad = await call('subscribe', { reset: 'everything' });
    expect(text(bad)).toMatch(/^reset takes one of schedule, .+; "everything" is not one\. Nothing was saved\.$/);
  });

  it('refuses broadcasts, unknown placeholders and bad styles with one line, saving nothing', async () => {
    for (const [args, message] of [
      [{ mention: '@everyone' }, '@everyone is never allowed: name roles or people. Nothing was saved.'],
      [{ mention: '<!channel>' }, '<!channel> is never allowed: name roles or people. Nothing was saved.'],
      [{ mention: 'bob' }, '"bob" is not a mention; pick @Role or @someone. Nothing was saved.'],
      [{ template: '{titel}' }, /^Unknown placeholder \{titel\}\. Known: \{title\}/],
      [{ style: 'fancy' }, 'style is one of card, compact, text. Nothing was saved.'],
      [{ image: 'maybe' }, 'image is on or off. Nothing was saved.'],
    ] as const) {
      const reply = await call('subscribe', args as Record<string, string>);
      expect(reply).toMatchObject({ tone: 'error' });
      if (typeof message === 'string') expect(text(reply)).toBe(message);
      else expect(text(reply)).toMatch(message);
    }
    expect(await stores.subscriptions.getSubscription(CHANNEL)).toBeUndefined();
  });

  it('Slack mentions take user and user-group ids only', async () => {
    const slack: ChannelId = 'slack:C1';
    await call('subscribe', { mention: '<@U0123ABCD> <!subteam^S0456EFGH|@news>' }, slack);
    const saved = await stores.subscriptions.getSubscription(slack);
    expect(saved?.presentation?.mentions).toEqual([
      { kind: 'user', id: 'U0123ABCD' },
      { kind: 'subteam', id: 'S0456EFGH' },
    ]);
    expect(text(await call('subscribe', { mention: `<@&${ROLE}>` }, slack))).toMatch(/is not a mention/);
  });

  it('preview shows the newest article with the channel look, a tried template, and no pings', async () => {
    await call('subscribe', { style: 'compact', mention: `<@&${ROLE}>` });
    const reply = await call('preview', { template: '{title}!', style: 'text' });
    expect(reply).toMatchObject({ kind: 'articles', ephemeral: true, look: { style: 'text', mentions: [] } });
    const stored = await stores.subscriptions.getSubscription(CHANNEL);
    expect(stored?.presentation).toMatchObject({ style: 'compact' });
  });
});

describe('schedule presets and time zones as the user types', () => {
  it('offers the four presets, and what was typed as a custom cron', () => {
    expect(scheduleSuggestions('').map((choice) => choice.name)).toEqual([
      'Every 10 minutes',
      'Hourly',
      'Daily at 09:00',
      'Weekdays at 09:00',
    ]);
    expect(scheduleSuggestions('30 7 * * *')[0]).toEqual({ name: 'Custom cron: 30 7 * * *', value: '30 7 * * *' });
    expect(scheduleSuggestions('week')).toEqual([{ name: 'Weekdays at 09:00', value: '0 9 * * 1-5' }]);
  });

  it('completes IANA names, at most 25, city matches first', () => {
    expect(timeZoneSuggestions('berl')[0]?.value).toBe('Europe/Berlin');
    expect(timeZoneSuggestions('ulaan')[0]?.value).toBe('Asia/Ulaanbaatar');
    expect(timeZoneSuggestions('new york').map((c) => c.value)).toContain('America/New_York');
    expect(timeZoneSuggestions('').length).toBe(25);
    expect(timeZoneSuggestions('x'.repeat(10_000))).toEqual([]);
  });
});
