import { ChannelType, RESTJSONErrorCodes, Routes, type REST } from 'discord.js';
import type { ChannelPlace } from '../../domain/invocation.js';
import type { ForumTag } from '../../domain/presentation.js';
import { encodeCustomId } from './custom-id.js';
import { discordCode } from './errors.js';
import { defuseMentions, truncate } from './text.js';

/** Discord: a thread name is 1 to 100 characters. */
const THREAD_NAME = 100;
/** A week: the longest auto-archive Discord offers, so a news thread stays open for its discussion. */
const AUTO_ARCHIVE_MINUTES = 10_080;
/** Recovery reads at most this many starter messages: bounded work whatever the forum holds. */
const MAX_CANDIDATES = 10;

export interface ApiChannel {
  id: string;
  type: number;
  guild_id?: string;
  parent_id?: string | null;
  owner_id?: string;
  name?: string;
  available_tags?: { id: string; name: string }[];
  flags?: number;
}

interface ApiMessage {
  id: string;
  author?: { id: string };
  components?: { components?: { custom_id?: string }[] }[];
}

/** Forum and media channels hold only posts (threads); a message goes to them as a new post. */
export const isForumType = (type: number | undefined) =>
  type === ChannelType.GuildForum || type === ChannelType.GuildMedia;

const isThreadType = (type: number | undefined) =>
  type === ChannelType.PublicThread || type === ChannelType.PrivateThread || type === ChannelType.AnnouncementThread;

/**
 * The article title as a thread name: plain text on one line, cut at a word within 100 characters.
 * Channel names render no markdown, so nothing is escaped, but control characters and broadcast
 * mentions are taken out.
 */
export function threadName(title: string): string {
  const clean = title
    .slice(0, THREAD_NAME * 4)
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const name = truncate(defuseMentions(clean), THREAD_NAME).trim();
  return name || 'News';
}

/** Whether this message carries our Summary or Sources button for the article. */
export function isPostFor(message: ApiMessage, self: string, articleId: string): boolean {
  const marks = [encodeCustomId('summary', articleId), encodeCustomId('sources', articleId)];
  return (
    message.author?.id === self &&
    (message.components ?? []).some((row) =>
      (row.components ?? []).some((c) => c.custom_id !== undefined && marks.includes(c.custom_id)),
    )
  );
}

/** Discord answers 400 with this code to a message sent to a forum: the sign to post there as a thread. */
export const isNotTextChannel = (err: unknown) =>
  discordCode(err) === RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel;

export interface ForumPostBody {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  allowed_mentions?: unknown;
}

/** One forum post: the thread and its first message are created by one request, so they exist together or not at all. */
export async function createForumPost(
  rest: REST,
  forumId: string,
  message: ForumPostBody,
  name: string,
  tags: string[] | undefined,
): Promise<string> {
  const body = {
    name,
    auto_archive_duration: AUTO_ARCHIVE_MINUTES,
    message,
    ...(tags && tags.length > 0 ? { applied_tags: tags } : {}),
  };
  const thread = (await rest.post(Routes.threads(forumId), { body })) as ApiChannel;
  // The starter message shares the thread's id, so the one id serves the ledger, edits and lookups.
  return thread.id;
}

/**
 * A public thread on a posted message. The thread takes the message's id; a second attempt after a
 * crash gets 160004 (a thread already exists for it), which means the step is done.
 */
export async function ensureThread(rest: REST, channelId: string, messageId: string, name: string): Promise<string> {
  try {
    await rest.post(Routes.threads(channelId, messageId), {
      body: { name, auto_archive_duration: AUTO_ARCHIVE_MINUTES },
    });
  } catch (err) {
    if (discordCode(err) !== RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage) throw err;
  }
  return messageId;
}

/**
 * After a crash: the post this bot made for the article in a forum, if any. Forum posts take no
 * nonce, so the forum's active threads (and its newest archived ones) are searched for a thread
 * of ours whose starter message carries the article's buttons. Threads named like the post are read first.
 */
export async function findForumPost(
  rest: REST,
  forum: ApiChannel,
  self: string,
  articleId: string,
  name: string | undefined,
  /** Awaited before each request, so the rate limiter counts every one. */
  before: () => Promise<void> = async () => {},
): Promise<string | undefined> {
  const ours = (threads: ApiChannel[] | undefined) =>
    (threads ?? []).filter((thread) => thread.parent_id === forum.id && (thread.owner_id ?? self) === self);
  const starterOf = async (candidates: ApiChannel[]): Promise<string | undefined> => {
    const ordered = [
      ...candidates.filter((thread) => thread.name === name),
      ...candidates.filter((thread) => thread.name !== name),
    ].slice(0, MAX_CANDIDATES);
    for (const thread of ordered) {
      try {
        await before();
        const starter = (await rest.get(Routes.channelMessage(thread.id, thread.id))) as ApiMessage;
        if (isPostFor(starter, self, articleId)) return thread.id;
      } catch (err) {
        // A starter message deleted by a moderator: not ours to find, look at the next.
        if (discordCode(err) !== RESTJSONErrorCodes.UnknownMessage) throw err;
      }
    }
    return undefined;
  };
  if (forum.guild_id) {
    await before();
    const active = (await rest.get(Routes.guildActiveThreads(forum.guild_id))) as { threads?: ApiChannel[] };
    const found = await starterOf(ours(active.threads));
    if (found) return found;
  }
  // A post archived since (a moderator closed it): the newest archived posts, newest first.
  await before();
  const archived = (await rest.get(Routes.channelThreads(forum.id, 'public'), {
    query: new URLSearchParams({ limit: '50' }),
  })) as { threads?: ApiChannel[] };
  return starterOf(ours(archived.threads));
}

const tagsOf = (channel: ApiChannel): ForumTag[] =>
  (channel.available_tags ?? []).map((tag) => ({ id: String(tag.id), name: String(tag.name) }));

/**
 * Where a channel-managing command was typed. A command in a forum post (a thread whose parent is a
 * forum) manages the forum: Discord offers no message box in the forum itself.
 */
export async function commandPlace(rest: REST, channelId: string): Promise<{ channelId: string; place: ChannelPlace }> {
  const channel = (await rest.get(Routes.channel(channelId))) as ApiChannel;
  if (isForumType(channel.type)) return { channelId, place: { kind: 'forum', tags: tagsOf(channel) } };
  if (isThreadType(channel.type) && channel.parent_id) {
    const parent = (await rest.get(Routes.channel(channel.parent_id))) as ApiChannel;
    if (isForumType(parent.type)) return { channelId: parent.id, place: { kind: 'forum', tags: tagsOf(parent) } };
  }
  return { channelId, place: { kind: 'text' } };
}
