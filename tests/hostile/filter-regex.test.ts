import { dueRows } from '../support/deliveries.js';
import { describe, expect, it } from 'vitest';
import { createExecutor } from '../../commands/execute.js';
import { createFanOut } from '../../src/delivery/fan-out.js';
import type { ChannelId } from '../../src/domain/channel.js';
import { compileFilterRegex, createFilterMatcher, filterText, parseFilter } from '../../src/domain/subscription.js';
import { makeInput } from '../support/articles.js';
import { ledgerWithArticles, silentLog, subscription } from '../delivery/support/scripted-adapter.js';

const cpuMs = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

const english = 'The minister said the council would meet on Tuesday to discuss the budget and housing ';
const article = (title: string, body: string) => ({
  title,
  body: [{ type: 'paragraph' as const, text: body }],
  tags: [],
  publishers: [],
  origin: { kind: 'file' as const, path: '/a.txt' },
});

describe('filter regexes run on RE2', () => {
  it('the catastrophic /(\\w+\\s?)+$/ over 17,000 characters of English answers in bounded CPU', () => {
    const matcher = createFilterMatcher(parseFilter('/(\\w+\\s?)+$/'));
    const text = `${english.repeat(200)}!`;
    let result = true;
    // V8 needs ~2^(n/2) steps here: 40 characters already take seconds. RE2 is linear.
    const used = cpuMs(() => (result = matcher(article('Budget day', text))));
    expect(result).toBe(false);
    expect(used).toBeLessThan(500);
  });

  it('matches like JavaScript on ordinary patterns, case-insensitive unless a capital is written', () => {
    expect(compileFilterRegex('/budget|housing/').test('New HOUSING plan')).toBe(true);
    expect(compileFilterRegex('/\\bai\\b/').test('officials said')).toBe(false);
    expect(compileFilterRegex('/\\bai\\b/').test('new AI rules')).toBe(true);
    expect(compileFilterRegex('/Apple/').test('apple pie')).toBe(false);
    expect(compileFilterRegex('/^second$/m').test('first\nsecond\nthird')).toBe(true);
    expect(compileFilterRegex('/a.b/s').test('a\nb')).toBe(true);
    expect(compileFilterRegex('/\\p{Lu}{3}/u').test('the NHS said')).toBe(true);
  });

  it.each([
    ['/(a)\\1/', 'backreferences'],
    ['/(?<x>a)\\k<x>/', 'named backreferences'],
    ['/(?=budget)bud/', 'lookahead'],
    ['/(?!budget)bud/', 'lookahead'],
    ['/(?<=x)y/', 'lookbehind'],
    ['/(?<!x)y/', 'lookbehind'],
  ])('refuses %s naming %s', (pattern, feature) => {
    expect(() => parseFilter(pattern)).toThrow(new RegExp(`uses ${feature}.*cannot run`));
  });

  it('an escaped backslash before a digit is not a backreference', () => {
    expect(compileFilterRegex('/a\\\\1/').test('a\\1')).toBe(true);
  });

  it('refuses a syntax error and an unknown flag with a reason', () => {
    expect(() => parseFilter('/(unclosed/')).toThrow(/not valid: missing closing \)/);
    expect(() => parseFilter('/x/q')).toThrow(/flag "q" is not supported/);
  });

  it('sees only the title and the first 20,000 characters of the body', () => {
    const body = `${'filler words here '.repeat(1200)} needle`;
    expect(filterText(article('Title', body)).length).toBeLessThanOrEqual(2_000 + 20_001);
    expect(createFilterMatcher(parseFilter('/needle/'))(article('Title', body))).toBe(false);
    expect(createFilterMatcher(parseFilter('needle'))(article('Title', 'a needle early'))).toBe(true);
    const paragraph = { type: 'paragraph' as const, text: 'x'.repeat(1000) };
    const huge = { ...article('T', ''), body: Array.from({ length: 5000 }, () => paragraph) };
    expect(cpuMs(() => createFilterMatcher(parseFilter('/y/'))(huge))).toBeLessThan(200);
  });
});

describe('subscribe refuses what RE2 cannot run, and a stored poison filter is quarantined', () => {
  const CHANNEL: ChannelId = 'discord:700';
  const OTHER: ChannelId = 'discord:701';

  it('the command replies with the unsupported feature and saves nothing', async () => {
    const { stores, close } = await ledgerWithArticles(1);
    try {
      const execute = createExecutor({ stores, log: silentLog, now: () => '2030-01-03T12:00:00.000Z' });
      const reply = await execute({
        command: 'news',
        sub: 'subscribe',
        args: { filter: '/(\\w+)\\s\\1/' },
        user: { platform: 'discord', id: 'u1', canManage: true },
        channel: CHANNEL,
        space: 'g1',
      });
      expect(reply).toMatchObject({ kind: 'text', tone: 'error' });
      expect(JSON.stringify(reply)).toMatch(/backreferences.*Nothing was saved/);
      expect(await stores.subscriptions.getSubscription(CHANNEL)).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('fan-out skips a stored filter that no longer compiles, logs it once, and delivers to the others', async () => {
    const { stores, close } = await ledgerWithArticles(0);
    try {
      const poison = { include: [], exclude: [], tags: [], sources: [], regex: '/(a)\\1/' };
      await stores.subscriptions.putSubscription(subscription(CHANNEL, { filter: poison, space: 'g1' }));
      await stores.subscriptions.putSubscription(subscription(OTHER, { space: 'g1' }));
      const warnings: unknown[] = [];
      const log = Object.assign(Object.create(silentLog), { warn: (obj: unknown) => warnings.push(obj) });
      const fanOut = createFanOut({ stores, log, onUpdate: 'ignore' });
      for (const n of [1, 2]) {
        const result = await stores.articles.upsert({ ...makeInput({ title: `Story ${n}` }), announce: true });
        await fanOut(result);
      }
      const due = await dueRows(stores.deliveries, {
        now: '2031-01-01T00:00:00.000Z',
        limit: 10,
        perChannel: 10,
        channels: [CHANNEL, OTHER],
      });
      expect(due.map((row) => row.channel)).toEqual([OTHER, OTHER]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ channel: CHANNEL, reason: expect.stringContaining('backreferences') });

      const execute = createExecutor({ stores, log: silentLog, now: () => '2030-01-03T12:00:00.000Z' });
      const listed = await execute({
        command: 'news',
        sub: 'subscriptions',
        args: {},
        user: { platform: 'discord', id: 'u1', canManage: true },
        channel: CHANNEL,
        space: 'g1',
      });
      expect(JSON.stringify(listed)).toContain('QUARANTINED');
    } finally {
      await close();
    }
  });
});
