import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { postReply } from '../../src/domain/cards.js';
import type { Article } from '../../src/domain/article.js';
import { PERMS } from '../fakes/discord/fake-discord.js';
import { startHarness, type Harness } from './harness.js';
import { ingestSeed } from './seed.js';

type Embed = {
  title?: string;
  url?: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
};
type Row = { components: { custom_id: string; label: string }[] };

/** End to end: real discord.js Client in the adapter, the real executor and SQLite store, a fake Discord. */
describe('Discord /news through the real executor', () => {
  let h: Harness;
  let seed: Article;
  beforeAll(async () => {
    let executor: Executor | undefined;
    h = await startHarness({
      execute: (inv, stores) => (executor ??= createExecutor({ stores, log: pino({ level: 'silent' }) }))(inv),
    });
    seed = await ingestSeed(h.stores);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('latest: one embed per article with Summary and Sources buttons, public', async () => {
    const record = h.fake.command('latest', { count: 5 }, { channelId: '1300000000000000042' });
    const answer = await h.fake.answer(record);
    expect(answer.deferred).toBe(false);
    const embeds = answer.data.embeds as Embed[];
    expect(embeds[0]?.title).toContain('Netflix has given up on neural networks');
    expect(embeds[0]?.footer?.text).toBe(`${seed.id} · Reuters`);
    const ids = (answer.data.components as Row[]).flatMap((row) => row.components.map((b) => b.custom_id));
    expect(ids).toEqual([`news:summary:${seed.id}`, `news:sources:${seed.id}`]);
    expect(answer.data.flags ?? 0).toBe(0);
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    const inv = h.calls.at(-1);
    expect(inv).toMatchObject({
      command: 'news',
      sub: 'latest',
      args: { count: '5' },
      channel: 'discord:1300000000000000042',
      space: `discord:guild:${h.fake.guildId}`,
    });
    expect(inv?.user).toEqual({ platform: 'discord', id: '1400000000000000001', name: 'Reader', canManage: false });
  });

  it('summary <id>: the stored summary sentences, the title link and the footer', async () => {
    const answer = await h.fake.answer(h.fake.command('summary', { id: seed.id }));
    const embed = (answer.data.embeds as Embed[])[0];
    expect(embed?.description).toContain('Netflix has for the first time acknowledged the use of generative AI');
    expect(embed?.footer?.text).toContain(seed.id);
    expect(embed?.footer?.text).toContain('Reuters');
    expect(answer.data).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('sources <id>: each source with kinds and evidence quotes', async () => {
    const answer = await h.fake.answer(h.fake.command('sources', { id: seed.id }));
    const fields = (answer.data.embeds as Embed[])[0]?.fields ?? [];
    const names = fields.map((field) => field.name);
    expect(names).toEqual(expect.arrayContaining(['Reuters', 'Netflix', 'Ted Sarandos (co-CEO)']));
    const reuters = fields.find((field) => field.name === 'Reuters');
    expect(reuters?.value).toContain('*publisher, cited*');
    expect(reuters?.value).toContain('> According to Reuters, the platform is already testing GenAI');
  });

  it('search <query>: finds the seed article', async () => {
    const answer = await h.fake.answer(h.fake.command('search', { query: 'Eternauta' }));
    expect((answer.data.embeds as Embed[]).map((embed) => embed.footer?.text)).toContain(`${seed.id} · Reuters`);
  });

  it('an unknown id gets a private error', async () => {
    const answer = await h.fake.answer(h.fake.command('summary', { id: 'nope' }));
    expect(answer.data.flags).toBe(64);
    expect(answer.data.content).toContain('No article with id');
  });

  it('autocomplete offers matching titles with their ids, at most 25', async () => {
    const record = h.fake.autocomplete('summary', { id: 'netfl' }, 'id');
    const answer = await h.fake.answer(record);
    expect(answer.type).toBe(8);
    const choices = answer.data.choices as { name: string; value: string }[];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    expect(choices[0]?.value).toBe(seed.id);
    expect(choices[0]?.name).toMatch(/^Netflix has given up/);
    expect(choices[0]?.name.endsWith(`(${seed.id})`)).toBe(true);
    expect(choices[0]?.name.length).toBeLessThanOrEqual(100);
    const none = await h.fake.answer(h.fake.autocomplete('sources', { id: 'zzzzqqq' }, 'id'));
    expect(none.data.choices).toEqual([]);
  });

  it('both buttons on a posted article answer privately', async () => {
    const channel = '1300000000000000077';
    const { messageId } = await h.adapter.post(`discord:${channel}`, postReply(seed), {
      articleId: seed.id,
      nonce: `t-${seed.id}`,
    });
    const message = h.fake.messagesIn(channel).find((m) => m.id === messageId);
    expect(message).toBeDefined();

    const summary = await h.fake.answer(h.fake.click(message!, `news:summary:${seed.id}`));
    expect(summary.data.flags).toBe(64);
    expect((summary.data.embeds as Embed[])[0]?.description).toContain('Netflix has for the first time');
    expect(h.calls.at(-1)).toMatchObject({ sub: 'summary', args: { id: seed.id }, channel: `discord:${channel}` });

    const sources = await h.fake.answer(h.fake.click(message!, `news:sources:${seed.id}`));
    expect(sources.data.flags).toBe(64);
    expect((sources.data.embeds as Embed[])[0]?.fields?.map((f) => f.name)).toContain('Reuters');
    expect(h.calls.at(-1)).toMatchObject({ sub: 'sources', args: { id: seed.id } });
  });

  it('canManage comes from the member permissions (Manage Channels)', async () => {
    await h.fake.answer(h.fake.command('latest', {}, { permissions: PERMS.manager }));
    expect(h.calls.at(-1)?.user.canManage).toBe(true);
    await h.fake.answer(h.fake.command('latest', {}, { permissions: String(8) })); // Administrator
    expect(h.calls.at(-1)?.user.canManage).toBe(true);
    await h.fake.answer(h.fake.command('latest', {}, { permissions: PERMS.member }));
    expect(h.calls.at(-1)?.user.canManage).toBe(false);
  });

  it('a foreign button is refused politely, without running a command', async () => {
    const before = h.calls.length;
    const fakeMessage = h.fake.messagesIn('1300000000000000077')[0]!;
    const answer = await h.fake.answer(h.fake.click(fakeMessage, 'other:thing'));
    expect(answer.data.flags).toBe(64);
    expect(h.calls.length).toBe(before);
  });
});
