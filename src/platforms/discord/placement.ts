import { RESTJSONErrorCodes, Routes, type Client } from 'discord.js';
import { discordCode } from './errors.js';
import type { PostOptions, PostResult } from '../adapter.js';
import type { Reply } from '../../domain/reply.js';
import type { DiscordMessage } from './render.js';
import {
  createForumPost,
  ensureThread,
  findForumPost,
  isForumType,
  isNotTextChannel,
  isPostFor,
  threadName,
  type ApiChannel,
} from './threads.js';

/** A channel's kind is fixed once made; kept for this many channels, the oldest learnt forgotten first. */
const MAX_KNOWN_CHANNELS = 10_000;

interface ApiMessage {
  id: string;
  author?: { id: string };
  components?: { components?: { custom_id?: string }[] }[];
}

/** The thread name a post would get: the article's title, or a digest's heading. */
function postName(reply: Reply): string {
  if (reply.kind !== 'articles') return threadName('News');
  return threadName(reply.cards.length > 1 ? (reply.heading ?? 'News') : (reply.cards[0]?.title ?? 'News'));
}

/**
 * Where a scheduled post goes and in how many steps: a message in a text channel (then its thread,
 * with thread=on), or one post in a forum. Plain text channels cost no extra request: a forum is
 * learnt from Discord refusing the message (50008), or from the gateway's channel cache.
 */
export function createPlacement(deps: { self: () => string }) {
  /** Channels whose type we asked Discord for. */
  const known = new Map<string, ApiChannel>();

  /** The channel as Discord describes it: the gateway's cache, what we learnt, else one GET (rare paths only). */
  async function describe(c: Client, id: string, before?: () => Promise<void>): Promise<ApiChannel> {
    const cached = c.channels.cache.get(id);
    if (cached && 'guildId' in cached) return { id, type: cached.type, guild_id: cached.guildId };
    const learnt = known.get(id);
    if (learnt) return learnt;
    await before?.();
    const fetched = (await c.rest.get(Routes.channel(id))) as ApiChannel;
    if (known.size >= MAX_KNOWN_CHANNELS) known.delete(known.keys().next().value!);
    known.set(id, fetched);
    return fetched;
  }

  const knownForum = (c: Client, id: string) => isForumType(c.channels.cache.get(id)?.type ?? known.get(id)?.type);

  return {
    describe,

    async post(
      c: Client,
      id: string,
      reply: Reply,
      message: DiscordMessage,
      options: PostOptions,
    ): Promise<PostResult> {
      const look = reply.kind === 'articles' ? reply.look : undefined;
      const name = postName(reply);
      const forumPost = async () => ({ messageId: await createForumPost(c.rest, id, message, name, look?.tags) });
      if (knownForum(c, id)) return options.postedMessageId ? { messageId: options.postedMessageId } : forumPost();
      let messageId = options.postedMessageId;
      if (!messageId) {
        try {
          const body = { ...message, nonce: options.nonce, enforce_nonce: true };
          messageId = ((await c.rest.post(Routes.channelMessages(id), { body })) as ApiMessage).id;
        } catch (err) {
          // Nothing was created: Discord refuses a plain message to a forum before anything else.
          if (!isNotTextChannel(err) || !isForumType((await describe(c, id, options.beforeNextRequest)).type))
            throw err;
          await options.beforeNextRequest?.();
          return forumPost();
        }
        // The ledger learns the message before the thread is asked for: a restart in between
        // opens the thread on this message instead of posting the article again.
        if (look?.thread) await options.onPosted?.(messageId);
      }
      if (look?.thread) {
        if (!options.postedMessageId) await options.beforeNextRequest?.();
        await ensureThread(c.rest, id, messageId, name);
      }
      return { messageId };
    },

    /** Edit a post: a forum post's first message lives in its thread, which shares the message's id. */
    async edit(c: Client, id: string, messageId: string, body: DiscordMessage): Promise<void> {
      if (knownForum(c, id)) {
        await c.rest.patch(Routes.channelMessage(messageId, messageId), { body });
        return;
      }
      try {
        await c.rest.patch(Routes.channelMessage(id, messageId), { body });
      } catch (err) {
        // Asked only when the channel does not know the message: a forum learnt since a restart.
        if (discordCode(err) !== RESTJSONErrorCodes.UnknownMessage || !isForumType((await describe(c, id)).type))
          throw err;
        await c.rest.patch(Routes.channelMessage(messageId, messageId), { body });
      }
    },

    /** After a crash: the post made for this article, with its thread finished if the kill came before it. */
    async findPosted(c: Client, id: string, options: PostOptions, reply?: Reply): Promise<PostResult | undefined> {
      const self = deps.self();
      const name = reply ? postName(reply) : undefined;
      if (!knownForum(c, id)) {
        const recent = (await c.rest.get(Routes.channelMessages(id), {
          query: new URLSearchParams({ limit: '50' }),
        })) as ApiMessage[];
        const found = recent.find((message) => isPostFor(message, self, options.articleId));
        if (found) {
          // Posted, but the kill may have come before its thread: that step is safe to repeat.
          if (reply?.kind === 'articles' && reply.look?.thread && name) {
            await options.beforeNextRequest?.();
            await ensureThread(c.rest, id, found.id, name);
          }
          return { messageId: found.id };
        }
        // Discord lists no messages for a forum; only an empty channel needs asking what it is.
        if (recent.length > 0 || !isForumType((await describe(c, id, options.beforeNextRequest)).type))
          return undefined;
      }
      const before = options.beforeNextRequest;
      const forum = await describe(c, id, before);
      const threadId = await findForumPost(c.rest, forum, self, options.articleId, name, before);
      return threadId ? { messageId: threadId } : undefined;
    },
  };
}
