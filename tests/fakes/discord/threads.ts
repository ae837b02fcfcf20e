import { buildMessage, snowflake, type FakeUser } from './payloads.js';
import { channelMessages, type FakeChannel, type FakeState } from './state.js';

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
const error = (status: number, code: number, message: string): Reply => ({ status, body: { message, code } });

/** Discord's channel types used here (https://discord.com/developers/docs/resources/channel#channel-object-channel-types). */
export const CHANNEL_TYPES = { text: 0, publicThread: 11, privateThread: 12, forum: 15, media: 16 } as const;

export const isForum = (channel: FakeChannel | undefined) =>
  channel?.type === CHANNEL_TYPES.forum || channel?.type === CHANNEL_TYPES.media;

/** A channel as GET /channels/{id} shows it; one the test never declared is a plain text channel of the guild. */
export function channelOf(state: FakeState, id: string): FakeChannel {
  return state.channels.get(id) ?? { id, type: CHANNEL_TYPES.text, guild_id: state.guildId, name: 'news' };
}

function newThread(state: FakeState, user: FakeUser, parent: FakeChannel, id: string, body: Record<string, unknown>) {
  const thread: FakeChannel = {
    id,
    type: CHANNEL_TYPES.publicThread,
    guild_id: parent.guild_id,
    parent_id: parent.id,
    owner_id: user.id,
    name: String(body.name),
    applied_tags: Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [],
    thread_metadata: {
      archived: false,
      auto_archive_duration: Number(body.auto_archive_duration ?? 4320),
      archive_timestamp: new Date().toISOString(),
      locked: false,
    },
    message_count: 0,
    member_count: 1,
    flags: 0,
  };
  state.channels.set(id, thread);
  return thread;
}

function badName(body: Record<string, unknown>): Reply | undefined {
  const name = body.name;
  if (typeof name !== 'string' || name.length < 1 || name.length > 100)
    return error(400, 50035, 'Invalid Form Body (name: must be between 1 and 100 in length)');
  return undefined;
}

/**
 * Threads and forums: GET a channel, start a thread in a forum (with its first message) or on a
 * message, list a guild's active threads and a channel's archived public ones. Undefined when the
 * request is not one of these.
 */
export function threadRoute(
  state: FakeState,
  user: FakeUser,
  method: string,
  parts: string[],
  body: Record<string, unknown>,
): Reply | undefined {
  const [a, b, c, d, e, f] = parts;
  if (a === 'guilds' && c === 'threads' && d === 'active' && method === 'GET' && parts.length === 4) {
    const threads = [...state.channels.values()].filter(
      (channel) => channel.guild_id === b && channel.thread_metadata && !channel.thread_metadata.archived,
    );
    return { status: 200, body: { threads, members: [] } };
  }
  if (a !== 'channels' || !b) return undefined;
  if (state.missing.has(b)) return error(404, 10003, 'Unknown Channel');
  const refused = state.forbidden.get(b);
  if (refused !== undefined) return error(403, refused, refused === 50001 ? 'Missing Access' : 'Missing Permissions');
  const channel = channelOf(state, b);
  if (method === 'GET' && parts.length === 2) return { status: 200, body: channel };
  if (method === 'GET' && c === 'threads' && d === 'archived' && e === 'public' && parts.length === 5) {
    const threads = [...state.channels.values()].filter(
      (thread) => thread.parent_id === b && thread.thread_metadata?.archived,
    );
    return { status: 200, body: { threads, members: [], has_more: false } };
  }
  // A plain message to a forum is refused, as Discord does: posts there are threads.
  if (method === 'POST' && c === 'messages' && parts.length === 3 && isForum(channel))
    return error(400, 50008, 'Cannot send messages in a non-text channel');
  if (method === 'POST' && c === 'threads' && parts.length === 3) {
    const named = badName(body);
    if (named) return named;
    if (!isForum(channel)) return { status: 201, body: newThread(state, user, channel, snowflake(), body) };
    const message = body.message as Record<string, unknown> | undefined;
    if (!message || (!message.content && !(Array.isArray(message.embeds) && message.embeds.length > 0)))
      return error(400, 50006, 'Cannot send an empty message');
    const tags = Array.isArray(body.applied_tags) ? body.applied_tags.map(String) : [];
    const available = new Set((channel.available_tags ?? []).map((tag) => tag.id));
    if (tags.length > 5 || tags.some((tag) => !available.has(tag)))
      return error(400, 50035, 'Invalid Form Body (applied_tags)');
    const id = snowflake();
    const thread = newThread(state, user, channel, id, body);
    // The starter message shares the thread's id.
    const starter = { ...buildMessage(id, user, message), id };
    channelMessages(state, id).push(starter);
    thread.message_count = 1;
    return { status: 201, body: { ...thread, message: starter } };
  }
  if (method === 'POST' && c === 'messages' && d && e === 'threads' && !f) {
    const named = badName(body);
    if (named) return named;
    const message = channelMessages(state, b).find((m) => m.id === d);
    if (!message) return error(404, 10008, 'Unknown Message');
    if (state.channels.has(d)) return error(400, 160004, 'A thread has already been created for this message');
    const thread = newThread(state, user, channel, d, body);
    message.flags |= 32; // HAS_THREAD
    message.thread = thread;
    return { status: 201, body: thread };
  }
  return undefined;
}
