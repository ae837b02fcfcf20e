import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExecutor, type Executor } from '../../commands/execute.js';
import { createDispatcher } from '../../src/delivery/dispatcher.js';
import type { Article } from '../../src/domain/article.js';
import { presentationOf, resolveForumTags } from '../../src/domain/presentation.js';
import { threadName } from '../../src/platforms/discord/threads.js';
import { createFakeDiscord, PERMS } from '../fakes/discord/fake-discord.js';
import { makeInput } from '../support/articles.js';
import { startHarness, type Harness } from './harness.js';

const FORUM = '1500000000000000001';
const TEXT = '1500000000000000002';
const OTHER = '1500000000000000003';
const HOSTILE =
  'Breaking: @everyone the harbour\ncranes <@&123456789012345678> restart **after** a week of repairs, and the port authority says traffic will be normal by Friday';

type Row = { components: { custom_id: string }[] };
const buttonsOf = (message: { components: unknown[] }) =>
  (message.components as Row[]).flatMap((row) => row.components.map((button) => button.custom_id));

describe('forum tags and thread names', () => {
  const available = [
    { id: '11', name: 'News' },
    { id: '12', name: 'Release notes' },
  ];
  it('resolves names case-insensitively, refuses unknown names, too many, and tags outside a forum', () => {
    expect(resolveForumTags(' release NOTES ,news,News', available)).toEqual([available[1], available[0]]);
    expect(() => resolveForumTags('Gossip', available)).toThrow(/no tag "Gossip" \(its tags: News, Release notes\)/);
    expect(() => resolveForumTags('News', undefined)).toThrow(/only apply in a forum/);
    const many = Array.from({ length: 6 }, (_, i) => ({ id: String(i), name: `t${i}` }));
    expect(() => resolveForumTags(many.map((tag) => tag.name).join(','), many)).toThrow(/at most 5 tags/);
    expect(resolveForumTags(' , ', available)).toEqual([]);
  });
  it('names a thread after the title on one line, within 100 characters, cut at a word', () => {
    expect(threadName('Short title')).toBe('Short title');
    const long = threadName(`${'word '.repeat(40)}end`);
    expect(long.length).toBeLessThanOrEqual(100);
    expect(long).toMatch(/word…$/);
    expect(threadName('a\u0000b\n\tc\u202e d')).toBe('a b c d');
    expect(threadName('  \n ')).toBe('News');
    // Astral characters are never split in half.
    expect(threadName('🎉'.repeat(80)).endsWith('\ud83c…')).toBe(false);
  });
});

describe('the fake Discord counts thread requests in its global window', () => {
  it('answers a global 429 once thread creation and listing use up the window', async () => {
    const fake = await createFakeDiscord({ globalLimit: { limit: 3, windowMs: 60_000 } });
    try {
      fake.addForum(FORUM, ['News']);
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${fake.apiUrl}/v10${path}`, {
          method,
          headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const post = { name: 'A post', message: { content: 'first message' } };
      expect((await call('POST', `/channels/${FORUM}/threads`, post)).status).toBe(201);
      expect((await call('GET', `/guilds/${fake.guildId}/threads/active`)).status).toBe(200);
      expect((await call('GET', `/channels/${FORUM}/threads/archived/public`)).status).toBe(200);
      const over = await call('POST', `/channels/${FORUM}/threads`, post);
      expect(over.status).toBe(429);
      expect(over.headers.get('x-ratelimit-global')).toBe('true');
      expect(fake.threadsIn(FORUM)).toHaveLength(1);
      expect(fake.requests.map((r) => r.path)).toContain(`/guilds/${fake.guildId}/threads/active`);
    } finally {
      await fake.close();
    }
  });
});

/** Forum posts and threads through the real discord.js client, the real executor and dispatcher, a fake Discord with latency. */
describe('Discord forums and thread=on', () => {
  let h: Harness;
  let articles: Article[];
  let dispatcher: ReturnType<typeof createDispatcher>;
  const silent = pino({ level: 'silent' });

  beforeAll(async () => {
    let executor: Executor | undefined;
    h = await startHarness({
      latency: { ms: 40 },
      execute: (inv, stores) => (executor ??= createExecutor({ stores, log: silent }))(inv),
    });
    articles = [];
    for (const title of [HOSTILE, 'Tide tables move to the new format', 'Ferry timetable for the winter']) {
      articles.push((await h.stores.articles.upsert(makeInput({ title }))).article);
    }
    dispatcher = createDispatcher({
      stores: h.stores,
      adapters: { discord: h.adapter },
      log: silent,
      perChannelPerTick: 5,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const manager = (channelId: string) => ({ channelId, permissions: PERMS.manager });

  it('subscribe in a forum resolves tag names against available_tags and refuses unknown ones', async () => {
    const tags = h.fake.addForum(FORUM, ['News', 'Release notes', 'Security']);
    const unknown = await h.fake.answer(h.fake.command('subscribe', { tags: 'News, Gossip' }, manager(FORUM)));
    expect(String(unknown.data.content)).toContain('This forum has no tag "Gossip"');
    expect(String(unknown.data.content)).toContain('News, Release notes, Security');
    expect(await h.stores.subscriptions.getSubscription(`discord:${FORUM}`)).toBeUndefined();

    const answer = await h.fake.answer(h.fake.command('subscribe', { tags: 'news, SECURITY' }, manager(FORUM)));
    const text = JSON.stringify(answer.data);
    expect(text).toContain('each article becomes its own post');
    expect(text).toContain('tagged News, Security');
    const stored = await h.stores.subscriptions.getSubscription(`discord:${FORUM}`);
    expect(presentationOf(stored?.presentation).tags).toEqual([
      { id: tags[0]!.id, name: 'News' },
      { id: tags[2]!.id, name: 'Security' },
    ]);
    // The type came from the API, not from the user.
    expect(h.fake.requests.some((r) => r.method === 'GET' && r.path === `/channels/${FORUM}`)).toBe(true);
  });

  it('tags outside a forum are refused at subscribe time', async () => {
    const answer = await h.fake.answer(h.fake.command('subscribe', { tags: 'News' }, manager(OTHER)));
    expect(String(answer.data.content)).toContain('tags only apply in a forum channel');
    expect(await h.stores.subscriptions.getSubscription(`discord:${OTHER}`)).toBeUndefined();
  });

  it('a forum gets one post per article: the title as its name, the post as its first message, the tags', async () => {
    for (const article of articles) await h.stores.deliveries.enqueue(article.id, [`discord:${FORUM}`]);
    const result = await dispatcher.tick();
    expect(result).toMatchObject({ sent: 3, retried: 0, failed: 0 });
    const threads = h.fake.threadsIn(FORUM);
    expect(threads).toHaveLength(3);
    const tagIds = presentationOf(
      (await h.stores.subscriptions.getSubscription(`discord:${FORUM}`))?.presentation,
    ).tags.map((tag) => tag.id);
    for (const [index, article] of articles.entries()) {
      const thread = threads.find((candidate) => candidate.name === threadName(article.title));
      expect(thread, article.title).toBeDefined();
      expect(thread!.applied_tags).toEqual(tagIds);
      const messages = h.fake.messagesIn(thread!.id);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.id).toBe(thread!.id);
      expect(buttonsOf(messages[0]!)).toContain(`news:summary:${article.id}`);
      expect(messages[0]!.mention_everyone).toBe(false);
      const row = (await h.stores.deliveries.forArticle(article.id))[0];
      expect(row).toMatchObject({ state: 'sent', messageId: thread!.id });
      if (index === 0) {
        expect(thread!.name.length).toBeLessThanOrEqual(100);
        expect(thread!.name).not.toContain('\n');
        expect(thread!.name).not.toContain('@everyone');
        expect(thread!.name.endsWith('…')).toBe(true);
      }
    }
    // One refused plain message taught the adapter that this is a forum; every post after went straight to a thread.
    const plain = h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${FORUM}/messages`);
    expect(plain.map((r) => r.status)).toEqual([400]);
    expect(await dispatcher.tick()).toMatchObject({ sent: 0 });
    expect(h.fake.threadsIn(FORUM)).toHaveLength(3);
    // An edit (the article changed) reaches the first message inside the post.
    const first = threads[0]!;
    await h.adapter.edit!(`discord:${FORUM}`, first.id, { kind: 'text', tone: 'info', text: 'Corrected' });
    expect(h.fake.messagesIn(first.id)[0]).toMatchObject({ content: 'Corrected' });
  });

  it('a post found archived after a crash is recognised by its first message, not posted again', async () => {
    const article = articles[0]!;
    const channel = `discord:${FORUM}` as const;
    const before = (await h.stores.deliveries.forArticle(article.id)).find((row) => row.channel === channel)!;
    // As a kill leaves it: in flight, no message id, while Discord holds the post (archived meanwhile).
    await h.stores.deliveries.reset(article.id, channel, new Date().toISOString());
    await h.stores.deliveries.markSending(article.id, channel, new Date().toISOString());
    h.fake.archive(before.messageId!);
    const creates = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${FORUM}/threads`);
    const created = creates().length;
    expect(await dispatcher.tick()).toMatchObject({ sent: 1 });
    expect(creates()).toHaveLength(created);
    expect(h.fake.threadsIn(FORUM)).toHaveLength(3);
    const after = (await h.stores.deliveries.forArticle(article.id)).find((row) => row.channel === channel);
    expect(after).toMatchObject({ state: 'sent', messageId: before.messageId });
    expect(h.fake.requests.some((r) => r.path === `/channels/${FORUM}/threads/archived/public`)).toBe(true);
  });

  it('a command typed in a forum post manages the forum', async () => {
    const post = h.fake.threadsIn(FORUM)[0]!;
    const answer = await h.fake.answer(h.fake.command('subscribe', { style: 'compact' }, manager(post.id)));
    expect(JSON.stringify(answer.data)).toContain('Subscription updated');
    expect(presentationOf((await h.stores.subscriptions.getSubscription(`discord:${FORUM}`))?.presentation).style).toBe(
      'compact',
    );
    expect(await h.stores.subscriptions.getSubscription(`discord:${post.id}`)).toBeUndefined();
  });

  it('thread=on in a text channel opens a thread per post, and its buttons answer in the thread', async () => {
    const answer = await h.fake.answer(h.fake.command('subscribe', { thread: 'on' }, manager(TEXT)));
    expect(JSON.stringify(answer.data)).toContain('its Summary and Sources buttons answer in that thread');
    // The thread step fails once after the message is out: the retry opens the thread and posts nothing again.
    h.fake.failNext({
      method: 'POST',
      path: new RegExp(`^/channels/${TEXT}/messages/\\d+/threads$`),
      status: 500,
      times: 4,
    });
    for (const article of articles.slice(1)) await h.stores.deliveries.enqueue(article.id, [`discord:${TEXT}`]);
    const first = await dispatcher.tick();
    expect(first.retried).toBeGreaterThan(0);
    // The ledger kept the message that went out before the thread failed.
    const rows = await Promise.all(articles.slice(1).map((article) => h.stores.deliveries.forArticle(article.id)));
    const tried = rows.flat().filter((row) => row.channel === `discord:${TEXT}` && row.attempts > 0);
    expect(h.fake.messagesIn(TEXT)).toHaveLength(1);
    expect(tried).toEqual([expect.objectContaining({ state: 'pending', messageId: h.fake.messagesIn(TEXT)[0]!.id })]);
    await h.stores.deliveries.requeueFailed(`discord:${TEXT}`, new Date().toISOString());
    for (let round = 0; round < 10 && h.fake.threadsIn(TEXT).length < 2; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await dispatcher.tick();
    }
    const messages = h.fake.messagesIn(TEXT);
    expect(messages).toHaveLength(2);
    const threads = h.fake.threadsIn(TEXT);
    expect(threads.map((thread) => thread.id).sort()).toEqual(messages.map((message) => message.id).sort());
    for (const message of messages) {
      const thread = threads.find((candidate) => candidate.id === message.id)!;
      const article = articles.find((candidate) => buttonsOf(message).includes(`news:summary:${candidate.id}`))!;
      expect(thread.name).toBe(threadName(article.title));
      const row = (await h.stores.deliveries.forArticle(article.id)).find((r) => r.channel === `discord:${TEXT}`);
      expect(row).toMatchObject({ state: 'sent', messageId: message.id });
    }

    const post = messages[0]!;
    const click = h.fake.click(post, buttonsOf(post)[0]!, { channelId: TEXT });
    const pointer = await h.fake.answer(click);
    // Deferred privately at once, then the pointer: the answer itself is public, in the thread.
    expect(click.callbacks[0]).toMatchObject({ type: 5, data: { flags: 64 } });
    expect(String(pointer.data.content)).toContain("Answered in this post's thread");
    await h.fake.until(() => h.fake.messagesIn(post.id).length === 1, 5_000, 'the answer in the thread');
    const inThread = h.fake.messagesIn(post.id)[0]!;
    expect(inThread.flags & 64).toBe(0);
    const clicked = articles.find((candidate) => buttonsOf(post).includes(`news:summary:${candidate.id}`))!;
    expect(JSON.stringify(inThread.embeds)).toContain(clicked.summary.sentences[0]!);
    expect(inThread.mention_everyone).toBe(false);
    // A second click does not repeat the answer in the thread; it is answered privately.
    const again = await h.fake.answer(h.fake.click(post, buttonsOf(post)[0]!, { channelId: TEXT }));
    expect(again.data.flags).toBe(64);
    expect(String(again.data.content ?? '')).not.toContain('Answered in this post');
    expect(h.fake.messagesIn(post.id)).toHaveLength(1);
  });

  it('without thread permissions the post fails visibly, and a retry opens the thread on the message already sent', async () => {
    const channel = '1500000000000000004';
    await h.fake.answer(h.fake.command('subscribe', { thread: 'on' }, manager(channel)));
    h.fake.failNext({
      method: 'POST',
      path: new RegExp(`^/channels/${channel}/messages/\\d+/threads$`),
      status: 403,
      body: { message: 'Missing Permissions', code: 50013 },
    });
    await h.stores.deliveries.enqueue(articles[0]!.id, [`discord:${channel}`]);
    expect(await dispatcher.tick()).toMatchObject({ failed: 1 });
    const failed = (await h.stores.deliveries.forArticle(articles[0]!.id)).find(
      (r) => r.channel === `discord:${channel}`,
    );
    expect(failed).toMatchObject({ state: 'failed', messageId: h.fake.messagesIn(channel)[0]!.id });
    expect(failed!.lastError).toContain('may not post');
    // Permissions granted (Discord sends a channel update), then /news retry.
    h.fake.gateway.dispatch('CHANNEL_UPDATE', { id: channel, type: 0, guild_id: h.fake.guildId });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const retry = await h.fake.answer(h.fake.command('retry', {}, manager(channel)));
    expect(JSON.stringify(retry.data)).not.toContain('error');
    expect(await dispatcher.tick()).toMatchObject({ sent: 1 });
    expect(h.fake.messagesIn(channel)).toHaveLength(1);
    expect(h.fake.threadsIn(channel).map((thread) => thread.id)).toEqual([h.fake.messagesIn(channel)[0]!.id]);
  });
});
