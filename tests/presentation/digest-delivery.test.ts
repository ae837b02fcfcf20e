import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/delivery/dispatcher.js';
import type { ChannelId } from '../../src/domain/channel.js';
import { emptyFilter, type Subscription } from '../../src/domain/subscription.js';
import { openSqliteStores, type SqliteStores } from '../../src/store/sqlite-open.js';
import { startHarness as startDiscord, type Harness as DiscordHarness } from '../discord/harness.js';
import { makeInput } from '../support/articles.js';
import { capturingLogger } from '../support/logger.js';
import { startHarness as startSlack, type Harness as SlackHarness } from '../slack/harness.js';

const ROLE = '123456789012345678';
const T0 = '2030-01-02T00:00:00.000Z';

let dir: string;
let stores: SqliteStores;
let discord: DiscordHarness;
let slack: SlackHarness;

function digestSubscription(channel: ChannelId, mention: Subscription['presentation']): Subscription {
  return {
    channel,
    filter: emptyFilter(),
    digest: 3,
    paused: false,
    origin: 'command',
    createdAt: T0,
    presentation: { style: 'compact', ...mention },
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'newsdesk-digest-look-'));
  stores = openSqliteStores(path.join(dir, 'news.db'));
  const ids: string[] = [];
  for (let i = 0; i < 3; i += 1) {
    const input = makeInput({
      title: `Harbour story ${i + 1}`,
      images: [{ caption: '', url: `https://img.example/harbour-${i + 1}.jpg` }],
    });
    ids.push(
      (await stores.articles.upsert(input, new Date(Date.parse(T0) - 60_000 + i * 1000).toISOString())).article.id,
    );
  }
  await stores.subscriptions.putSubscription(
    digestSubscription('discord:701', { mentions: [{ kind: 'role', id: ROLE }], mentionFilter: 'harbour' }),
  );
  await stores.subscriptions.putSubscription(
    digestSubscription('slack:C111', { mentions: [{ kind: 'user', id: 'U0123ABC' }] }),
  );
  // Queued a second apart, oldest first: the digest lists them in that order.
  for (const [index, id] of ids.entries()) {
    await stores.deliveries.enqueue(
      id,
      ['discord:701', 'slack:C111'],
      new Date(Date.parse(T0) - 30_000 + index * 1000).toISOString(),
    );
  }
  discord = await startDiscord({});
  slack = await startSlack({ execute: async () => ({ kind: 'text', tone: 'info', text: 'ok' }) });
});
afterAll(async () => {
  await discord?.close();
  await slack?.close();
  await stores?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a compact digest with images and a ping, through the dispatcher and the real clients', () => {
  it('Discord and Slack each get one message in the subscription look, the configured id pinged once', async () => {
    const { log } = capturingLogger();
    const dispatcher = createDispatcher({
      stores,
      adapters: { discord: discord.adapter, slack: slack.adapter },
      log,
      perChannelPerTick: 5,
      now: () => new Date(T0),
    });
    expect(await dispatcher.tick()).toMatchObject({ sent: 6 });

    const posts = discord.fake.requests.filter((r) => r.method === 'POST' && r.path === '/channels/701/messages');
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body as { content: string; embeds: unknown[]; allowed_mentions: unknown };
    const lines = body.content.split('\n');
    expect(lines[0]).toBe(`<@&${ROLE}>`);
    expect(lines[1]).toBe('**News digest: 3 new articles**');
    expect(lines.slice(2).map((line) => line.replace(/^\*\*(.*?)\*\*.*$/, '$1'))).toEqual([
      'Harbour story 1',
      'Harbour story 2',
      'Harbour story 3',
    ]);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(body.embeds).toEqual([1, 2, 3].map((i) => ({ image: { url: `https://img.example/harbour-${i}.jpg` } })));

    const slackPosts = slack.fake.callsTo('chat.postMessage');
    expect(slackPosts).toHaveLength(1);
    const params = slackPosts[0]!.params as { text: string; blocks: { type: string; accessory?: unknown }[] };
    expect(params.text).toBe('<@U0123ABC> News digest: 3 new articles');
    expect(params.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section', 'section', 'section']);
    expect(params.blocks.slice(2).map((block) => (block.accessory as { image_url?: string }).image_url)).toEqual(
      [1, 2, 3].map((i) => `https://img.example/harbour-${i}.jpg`),
    );
    expect(await stores.deliveries.countByState()).toMatchObject({ sent: 6 });
  });
});
