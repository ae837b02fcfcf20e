import { join } from 'node:path';
import { pino } from 'pino';
import type { ChannelId, Platform } from '../../../src/domain/channel.js';
import type { Reply } from '../../../src/domain/reply.js';
import { emptyFilter, type Subscription } from '../../../src/domain/subscription.js';
import type { PlatformAdapter, PostOptions, PostResult } from '../../../src/platforms/adapter.js';
import { openSqliteStores, type SqliteStores } from '../../../src/store/sqlite-open.js';
import { makeInput } from '../../support/articles.js';
import { tempDir } from '../../support/paths.js';

export interface PostCall {
  channel: ChannelId;
  reply: Reply;
  options: PostOptions;
}

/** What the scripted platform does with one post: answer, throw, or take it and then throw (a lost answer). */
export type PostScript = (call: PostCall, attempt: number) => PostResult | Error | { took: true; error: Error };

/**
 * A PlatformAdapter written in the test: our own port, not an SDK. It keeps the messages it
 * "posted" per channel, so findPosted can answer like Discord's or Slack's history would.
 */
export function scriptedAdapter(platform: Platform, script: PostScript = () => ({ messageId: '' })) {
  const posts: PostCall[] = [];
  const lookups: { channel: ChannelId; options: PostOptions }[] = [];
  const posted = new Map<ChannelId, { messageId: string; articleId: string }[]>();
  const attempts = new Map<string, number>();
  let next = 1;

  function keep(call: PostCall): PostResult {
    const messageId = `m${next++}`;
    posted.set(call.channel, [...(posted.get(call.channel) ?? []), { messageId, articleId: call.options.articleId }]);
    return { messageId };
  }

  const adapter: PlatformAdapter & { posts: PostCall[]; lookups: typeof lookups; posted: typeof posted } = {
    platform,
    posts,
    lookups,
    posted,
    async start() {},
    async stop() {},
    async post(channel, reply, options) {
      const call = { channel, reply, options };
      posts.push(call);
      const key = `${channel} ${options.articleId}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const outcome = script(call, attempt);
      if (outcome instanceof Error) throw outcome;
      if ('took' in outcome) {
        keep(call);
        throw outcome.error;
      }
      const result = keep(call);
      return outcome.messageId ? outcome : result;
    },
    async findPosted(channel, options) {
      lookups.push({ channel, options });
      const found = (posted.get(channel) ?? []).find((message) => message.articleId === options.articleId);
      return found ? { messageId: found.messageId } : undefined;
    },
  };
  return adapter;
}

export const silentLog = pino({ level: 'silent' });

/** A temp SQLite store with `count` articles, ids in arrival order. */
export async function ledgerWithArticles(
  count: number,
  at = '2030-01-01T00:00:00.000Z',
): Promise<{ stores: SqliteStores; ids: string[]; close: () => Promise<void> }> {
  const { dir, cleanup } = tempDir('newsdesk-dispatch-');
  const stores = openSqliteStores(join(dir, 'dispatch.db'));
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const stamp = new Date(Date.parse(at) + i * 1000).toISOString();
    ids.push((await stores.articles.upsert(makeInput({ title: `Dispatch story ${i + 1}` }), stamp)).article.id);
  }
  return {
    stores,
    ids,
    async close() {
      await stores.close();
      cleanup();
    },
  };
}

export function subscription(channel: ChannelId, overrides: Partial<Subscription> = {}): Subscription {
  return {
    channel,
    filter: emptyFilter(),
    digest: 0,
    paused: false,
    origin: 'command',
    createdAt: '2029-12-31T00:00:00.000Z',
    ...overrides,
  };
}
