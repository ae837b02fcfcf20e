import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postReply } from '../../src/domain/cards.js';
import { createExecutor, type Executor } from '../../commands/execute.js';
import type { Article } from '../../src/domain/article.js';
import { isNewsdeskError, type NewsdeskError } from '../../src/domain/errors.js';
import { createFakeDiscord, type FakeDiscord } from '../fakes/discord/fake-discord.js';
import { startHarness, type Harness } from './harness.js';
import { ingestPingArticle, ingestSeed } from './seed.js';

async function rejection(promise: Promise<unknown>): Promise<NewsdeskError> {
  try {
    await promise;
  } catch (err) {
    if (isNewsdeskError(err)) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const posts = (fake: FakeDiscord, channel: string) =>
  fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${channel}/messages`);

describe('Discord scheduled posts', () => {
  let h: Harness;
  let seed: Article;
  let ping: Article;
  beforeAll(async () => {
    let executor: Executor | undefined;
    h = await startHarness({
      bucket: { limit: 2, windowMs: 1000 },
      execute: (inv, stores) => (executor ??= createExecutor({ stores, log: pino({ level: 'silent' }) }))(inv),
    });
    seed = await ingestSeed(h.stores);
    ping = await ingestPingArticle(h.stores);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts one embed with both buttons, a nonce and allowed_mentions parse []', async () => {
    const { messageId } = await h.adapter.post('discord:501', postReply(seed), {
      articleId: seed.id,
      nonce: `p:${seed.id}`,
    });
    const [request] = posts(h.fake, '501');
    const body = request?.body as Record<string, unknown>;
    expect(body).toMatchObject({ nonce: `p:${seed.id}`, enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect(body.embeds).toHaveLength(1);
    expect(body.flags).toBeUndefined();
    const stored = h.fake.messagesIn('501');
    expect(stored.map((m) => m.id)).toEqual([messageId]);
    expect(JSON.stringify(stored[0]?.components)).toContain(`news:sources:${seed.id}`);
  });

  it('a 403 on one channel does not stop the others, and is not retried until permissions change', async () => {
    h.fake.forbid('602', 50013);
    const results = await Promise.allSettled(
      ['601', '602', '603'].map((ch) =>
        h.adapter.post(`discord:${ch}`, postReply(seed), { articleId: seed.id, nonce: `f:${ch}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(h.fake.messagesIn('601')).toHaveLength(1);
    expect(h.fake.messagesIn('603')).toHaveLength(1);
    const err = (results[1] as PromiseRejectedResult).reason as NewsdeskError;
    expect(err.code).toBe('forbidden');
    expect(err.details).toMatchObject({ channel: 'discord:602', discordCode: 50013 });
    expect(h.logs.find((l) => l.msg?.toString().startsWith('missing permission'))).toMatchObject({
      channel: 'discord:602',
      discordCode: 50013,
    });

    // Remembered: the next article for that channel does not cost another invalid request.
    const again = await rejection(
      h.adapter.post('discord:602', postReply(ping), { articleId: ping.id, nonce: 'f2:602' }),
    );
    expect(again.code).toBe('forbidden');
    expect(posts(h.fake, '602')).toHaveLength(1);

    // An admin fixes the channel; Discord tells us with CHANNEL_UPDATE.
    h.fake.allow('602');
    h.fake.gateway.dispatch('CHANNEL_UPDATE', {
      id: '602',
      type: 0,
      guild_id: h.fake.guildId,
      name: 'news',
      position: 0,
      permission_overwrites: [],
    });
    await h.fake.until(
      () => h.logs.find((l) => String(l.msg).startsWith('permissions may have changed')),
      5000,
      'the reset',
    );
    await h.adapter.post('discord:602', postReply(ping), { articleId: ping.id, nonce: 'f3:602' });
    expect(h.fake.messagesIn('602')).toHaveLength(1);
  });

  it('maps Missing Access (50001) to forbidden and Unknown Channel to not_found', async () => {
    h.fake.forbid('611', 50001);
    expect(
      await rejection(h.adapter.post('discord:611', postReply(seed), { articleId: seed.id, nonce: 'x1' })),
    ).toMatchObject({
      code: 'forbidden',
      details: { discordCode: 50001 },
    });
    h.fake.state.missing.add('612');
    expect(
      (await rejection(h.adapter.post('discord:612', postReply(seed), { articleId: seed.id, nonce: 'x2' }))).code,
    ).toBe('not_found');
    expect(
      (await rejection(h.adapter.post('slack:C1', postReply(seed), { articleId: seed.id, nonce: 'x3' }))).code,
    ).toBe('bad_input');
  });

  it('a short 429 is waited out by discord.js (Retry-After), then the post goes through', async () => {
    h.fake.failNext({
      method: 'POST',
      path: '/channels/621/messages',
      status: 429,
      headers: { 'retry-after': '1', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 0.9, global: false },
    });
    const { messageId } = await h.adapter.post('discord:621', postReply(seed), { articleId: seed.id, nonce: 'r1' });
    const sent = posts(h.fake, '621');
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(h.fake.messagesIn('621').map((m) => m.id)).toEqual([messageId]);
  });

  it('a long 429 becomes rate_limited with retryAfterMs, for the dispatcher to reschedule', async () => {
    h.fake.failNext({
      method: 'POST',
      path: '/channels/622/messages',
      status: 429,
      headers: { 'retry-after': '30', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 30, global: false },
    });
    const err = await rejection(h.adapter.post('discord:622', postReply(seed), { articleId: seed.id, nonce: 'r2' }));
    expect(err.code).toBe('rate_limited');
    expect(err.details.retryAfterMs).toBeGreaterThanOrEqual(30_000);
    expect(posts(h.fake, '622')).toHaveLength(1);
    expect(h.fake.messagesIn('622')).toHaveLength(0);
  });

  it('honours X-RateLimit-* headers: a burst to one channel never goes over the bucket', async () => {
    const sends = Array.from({ length: 5 }, (_, i) =>
      h.adapter.post('discord:631', postReply(seed), { articleId: seed.id, nonce: `b${i}` }),
    );
    await Promise.all(sends);
    expect(h.fake.messagesIn('631')).toHaveLength(5);
    expect(h.fake.state.overLimit).toBe(0);
    expect(posts(h.fake, '631').every((r) => r.status === 200)).toBe(true);
  });

  it('holds the 51st post of a burst back by about a second (discord.js global limiter at 50/s)', async () => {
    const channels = Array.from({ length: 60 }, (_, i) => String(900 + i));
    const started = h.fake.requests.length;
    await Promise.all(
      channels.map((ch) => h.adapter.post(`discord:${ch}`, postReply(seed), { articleId: seed.id, nonce: `g${ch}` })),
    );
    const burst = h.fake.requests.slice(started).filter((r) => r.method === 'POST');
    expect(burst).toHaveLength(60);
    expect(burst.every((r) => r.status === 200)).toBe(true);
    // Without a limiter all 60 land within milliseconds. Only this lower bound is asserted: the
    // fake shares this process, so a busy machine clumps its arrival times and an upper bound per
    // window would measure the test's own event loop. The 50/s ceiling is measured with the bot
    // in its own process by tests/scale and `npm run bench:fanout`.
    const arrivals = burst.map((r) => r.at).sort((a, b) => a - b);
    expect(arrivals[50]! - arrivals[0]!).toBeGreaterThanOrEqual(800);
  });

  it('5xx is retried by discord.js and then reported as transient', async () => {
    h.fake.failNext({ method: 'POST', path: '/channels/641/messages', status: 502, times: 4 });
    const err = await rejection(h.adapter.post('discord:641', postReply(seed), { articleId: seed.id, nonce: 't1' }));
    expect(err.code).toBe('transient');
    expect(posts(h.fake, '641')).toHaveLength(4);
  });

  it('an article text with @everyone is inert: parse [] and defused text, in posts and in replies', async () => {
    await h.adapter.post('discord:651', postReply(ping), { articleId: ping.id, nonce: 'e1' });
    const body = posts(h.fake, '651')[0]?.body as Record<string, unknown>;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const text = JSON.stringify(body);
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).toContain('@\u200beveryone');
    expect(h.fake.messagesIn('651')[0]?.mention_everyone).toBe(false);

    const answer = await h.fake.answer(h.fake.command('summary', { id: ping.id }));
    expect(answer.data.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(answer.data)).not.toMatch(/@(everyone|here)/);
  });

  it('edits an earlier post in place', async () => {
    const { messageId } = await h.adapter.post('discord:661', postReply(seed), { articleId: seed.id, nonce: 'ed1' });
    const changed = postReply({ ...seed, title: 'Netflix: corrected headline' });
    await h.adapter.edit?.('discord:661', messageId, changed);
    const patch = h.fake.requests.find((r) => r.method === 'PATCH' && r.path === `/channels/661/messages/${messageId}`);
    expect(patch?.body).toMatchObject({ allowed_mentions: { parse: [] } });
    const [message] = h.fake.messagesIn('661');
    expect((message!.embeds[0] as { title: string }).title).toBe('Netflix: corrected headline');
    expect(message?.edited_timestamp).not.toBeNull();
  });
});

describe('Discord posts across a restart', () => {
  let fake: FakeDiscord;
  let dir: string;
  const harnesses: Harness[] = [];
  beforeAll(async () => {
    fake = await createFakeDiscord();
    dir = mkdtempSync(join(tmpdir(), 'newsdesk-restart-'));
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });
  afterAll(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same nonce after a restart does not post twice, and findPosted finds the message', async () => {
    const first = await startHarness({ fake, dir });
    harnesses.push(first);
    const seed = await ingestSeed(first.stores);
    const nonce = `newsdesk:${seed.id}:discord:701:with-a-long-tail`;
    const sent = await first.adapter.post('discord:701', postReply(seed), { articleId: seed.id, nonce });
    const sentNonce = (posts(fake, '701')[0]!.body as { nonce: string }).nonce;
    expect(sentNonce.length).toBeLessThanOrEqual(25);
    await first.stop(); // "crash" after the send, before the ledger noted it

    const second = await startHarness({ fake, dir });
    harnesses.push(second);
    expect(await second.adapter.findPosted?.('discord:701', { articleId: seed.id, nonce })).toEqual({
      messageId: sent.messageId,
    });
    expect(await second.adapter.findPosted?.('discord:701', { articleId: 'other', nonce: 'n' })).toBeUndefined();
    const again = await second.adapter.post('discord:701', postReply(seed), { articleId: seed.id, nonce });
    expect(again.messageId).toBe(sent.messageId);
    expect((posts(fake, '701')[1]!.body as { nonce: string }).nonce).toBe(sentNonce);
    expect(fake.messagesIn('701')).toHaveLength(1);
  });
});
