import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NewsdeskError } from '../../src/domain/errors.js';
import type { Reply } from '../../src/domain/reply.js';
import { createHttpServer } from '../../src/http/server.js';
import { createSlackAdapter } from '../../src/platforms/slack/adapter.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { capturingLogger } from '../support/logger.js';

const reply = (id: string, over: { title?: string; description?: string } = {}): Reply => ({
  kind: 'articles',
  cards: [
    {
      id,
      title: over.title ?? `Article ${id}`,
      url: `https://example.com/${id}`,
      sourceName: 'Reuters',
      description: over.description ?? 'Body.',
    },
  ],
  actions: ['summary', 'sources'],
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ execute: async () => ({ kind: 'text', tone: 'info', text: 'unused' }) });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.fake.on('chat.postMessage');
});

async function rejection(promise: Promise<unknown>): Promise<NewsdeskError> {
  const err = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(NewsdeskError);
  return err as NewsdeskError;
}

describe('Slack scheduled posts through adapter.post', () => {
  it('posts with unfurls off, no link names, blocks, a text fallback and the article id in metadata', async () => {
    const result = await h.adapter.post('slack:C200', reply('art1'), { articleId: 'art1', nonce: 'n-art1-C200' });
    const call = h.fake.callsTo('chat.postMessage').at(-1)!;
    expect(call.authorization).toBe('Bearer xoxb-test-token');
    expect(call.params).toMatchObject({
      channel: 'C200',
      text: 'Article art1',
      unfurl_links: 'false',
      unfurl_media: 'false',
      link_names: 'false',
      metadata: { event_type: 'newsdesk_article', event_payload: { article_id: 'art1', nonce: 'n-art1-C200' } },
    });
    const actions = (call.params.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find(
      (block) => block.type === 'actions',
    );
    expect(actions?.elements?.map((element) => `${element.action_id}:${element.value}`)).toEqual([
      'news_summary:art1',
      'news_sources:art1',
    ]);
    expect(result.messageId).toMatch(/^\d+\.\d+$/);
  });

  it('findPosted finds the message by article id after a restart, and nothing for an unposted article', async () => {
    const posted = await h.adapter.post('slack:C201', reply('art2'), { articleId: 'art2', nonce: 'n2' });
    await h.adapter.post('slack:C201', reply('art3'), { articleId: 'art3', nonce: 'n3' });
    expect(await h.adapter.findPosted!('slack:C201', { articleId: 'art2', nonce: 'n2' })).toEqual(posted);
    expect(await h.adapter.findPosted!('slack:C201', { articleId: 'never', nonce: 'n4' })).toBeUndefined();
    const history = h.fake.callsTo('conversations.history').at(-1)!;
    expect(history.params).toMatchObject({ channel: 'C201', include_all_metadata: 'true' });
  });

  it('edit sends chat.update for the same ts', async () => {
    const posted = await h.adapter.post('slack:C202', reply('art5'), { articleId: 'art5', nonce: 'n5' });
    await h.adapter.edit!('slack:C202', posted.messageId, reply('art5', { title: 'Article art5, corrected' }));
    expect(h.fake.callsTo('chat.update').at(-1)?.params).toMatchObject({
      channel: 'C202',
      ts: posted.messageId,
      text: 'Article art5, corrected',
    });
  });

  it('a 429 becomes rate_limited with Retry-After in ms, after exactly one request', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    h.fake.on('chat.postMessage', () => ({
      status: 429,
      headers: { 'retry-after': '7' },
      body: { ok: false, error: 'ratelimited' },
    }));
    const err = await rejection(h.adapter.post('slack:C203', reply('art6'), { articleId: 'art6', nonce: 'n6' }));
    expect(err.code).toBe('rate_limited');
    expect(err.details.retryAfterMs).toBe(7000);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before + 1);
  });

  it('not_in_channel, channel_not_found and is_archived become forbidden and are logged with the channel', async () => {
    for (const slackError of ['not_in_channel', 'channel_not_found', 'is_archived']) {
      h.fake.on('chat.postMessage', () => ({ ok: false, error: slackError }));
      const err = await rejection(h.adapter.post('slack:C204', reply('art7'), { articleId: 'art7', nonce: 'n7' }));
      expect(err.code).toBe('forbidden');
      expect(err.details).toMatchObject({ channel: 'slack:C204', slackError });
    }
    expect(
      h.lines.some(
        (line) => line.channel === 'slack:C204' && line.slackError === 'not_in_channel' && line.level === 40,
      ),
    ).toBe(true);
  });

  it('other Slack errors and HTTP 5xx are transient and not retried inside the adapter', async () => {
    h.fake.on('chat.postMessage', () => ({ ok: false, error: 'msg_blocks_too_long' }));
    expect((await rejection(h.adapter.post('slack:C205', reply('a8'), { articleId: 'a8', nonce: 'n8' }))).code).toBe(
      'transient',
    );
    const before = h.fake.callsTo('chat.postMessage').length;
    h.fake.on('chat.postMessage', () => ({ status: 503, body: { ok: false } }));
    expect((await rejection(h.adapter.post('slack:C205', reply('a9'), { articleId: 'a9', nonce: 'n9' }))).code).toBe(
      'transient',
    );
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before + 1);
  });

  it('refuses a channel of another platform', async () => {
    expect(
      (await rejection(h.adapter.post('discord:123', reply('a10'), { articleId: 'a10', nonce: 'n10' }))).code,
    ).toBe('bad_input');
  });

  it('an article containing <!channel> and @everyone reaches Slack inert', async () => {
    const hostile = reply('evil', {
      title: 'Alert <!channel> @everyone',
      description: 'Click <https://evil.example|bank.com> <@U123> <!here> @here',
    });
    await h.adapter.post('slack:C206', hostile, { articleId: 'evil', nonce: 'ne' });
    const call = h.fake.callsTo('chat.postMessage').at(-1)!;
    const blocks = call.params.blocks as { type: string; text?: { type: string; text: string } }[];
    // Headers are plain_text, which Slack shows literally and never parses; mrkdwn is escaped.
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text' } });
    const mrkdwn = JSON.stringify([call.params.text, blocks.slice(1)]);
    expect(mrkdwn).not.toMatch(/<!channel>|<!here>|<@U123>|<https:\/\/evil/);
    const wire = JSON.stringify([call.params.text, call.params.blocks]);
    expect(wire).not.toMatch(/@(everyone|here)\b/);
    expect(wire).toContain('&lt;!here&gt;');
    expect(call.params.link_names).toBe('false');
  });

  it('a rejected bot token stops start-up with a config error naming SLACK_BOT_TOKEN', async () => {
    h.fake.on('auth.test', () => ({ ok: false, error: 'invalid_auth' }));
    const { log } = capturingLogger();
    const http = createHttpServer({ log });
    const adapter = createSlackAdapter({
      botToken: 'xoxb-wrong',
      signingSecret: SIGNING_SECRET,
      apiUrl: h.fake.apiUrl,
      http,
      adminUserIds: [],
      stores: h.stores,
      log,
      execute: async () => ({ kind: 'text', tone: 'info', text: '' }),
    });
    const err = await rejection(adapter.start());
    expect(err.code).toBe('config');
    expect(err.message).toBe('SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)');
    h.fake.on('auth.test');
  });

  it('HTTP mode without a signing secret is a config error', () => {
    const { log } = capturingLogger();
    expect(() =>
      createSlackAdapter({
        botToken: 'x',
        apiUrl: h.fake.apiUrl,
        http: createHttpServer({ log }),
        adminUserIds: [],
        stores: h.stores,
        log,
        execute: async () => ({ kind: 'text', tone: 'info', text: '' }),
      }),
    ).toThrow(/SLACK_SIGNING_SECRET is required/);
  });
});
