/** Builders for the Discord objects the fake hands out, shaped like the real API payloads (v10). */

const DISCORD_EPOCH = 1420070400000n;
let counter = 0n;

/** A fresh, increasing snowflake. */
export function snowflake(): string {
  counter = (counter + 1n) % 4096n;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | counter).toString();
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
  public_flags?: number;
}

export function botUser(id: string): FakeUser & Record<string, unknown> {
  return {
    id,
    username: 'newsdesk',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
    verified: true,
    mfa_enabled: false,
    flags: 0,
    public_flags: 0,
  };
}

export function humanUser(id: string, name: string): FakeUser {
  return { id, username: name.toLowerCase(), global_name: name, discriminator: '0', avatar: null, public_flags: 0 };
}

export interface StoredMessage {
  id: string;
  channel_id: string;
  author: FakeUser;
  content: string;
  embeds: unknown[];
  components: unknown[];
  timestamp: string;
  edited_timestamp: string | null;
  type: number;
  flags: number;
  nonce?: string | number;
  tts: boolean;
  mention_everyone: boolean;
  mentions: unknown[];
  mention_roles: string[];
  attachments: unknown[];
  pinned: boolean;
  application_id?: string;
  webhook_id?: string;
  /** The thread started from this message, once there is one. */
  thread?: unknown;
}

/** What real Discord would do with `@everyone` / `@here` in content, given allowed_mentions. */
export function wouldMentionEveryone(content: string, allowed: unknown): boolean {
  const mentions = /@(everyone|here)/.test(content);
  if (!mentions) return false;
  if (allowed === undefined || allowed === null) return true;
  const parse = (allowed as { parse?: unknown }).parse;
  return Array.isArray(parse) && parse.includes('everyone');
}

export function buildMessage(channelId: string, author: FakeUser, body: Record<string, unknown>): StoredMessage {
  const content = typeof body.content === 'string' ? body.content : '';
  return {
    id: snowflake(),
    channel_id: channelId,
    author,
    content,
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    type: 0,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    ...(body.nonce !== undefined ? { nonce: body.nonce as string } : {}),
    tts: false,
    mention_everyone: wouldMentionEveryone(content, body.allowed_mentions),
    mentions: [],
    mention_roles: [],
    attachments: [],
    pinned: false,
  };
}

export function applyEdit(message: StoredMessage, body: Record<string, unknown>): StoredMessage {
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if (Array.isArray(body.embeds)) message.embeds = body.embeds;
  if (Array.isArray(body.components)) message.components = body.components;
  message.mention_everyone = wouldMentionEveryone(message.content, body.allowed_mentions);
  message.edited_timestamp = new Date().toISOString();
  return message;
}

export interface InteractionContext {
  applicationId: string;
  guildId: string;
  channelId: string;
  user: FakeUser;
  /** Member permission bits as a decimal string; Discord sends them resolved for the channel. */
  permissions: string;
}

/** The fields every guild interaction carries (compare the docs' "Slash Command Interaction"). */
export function baseInteraction(
  ctx: InteractionContext,
  type: number,
  id: string,
  token: string,
): Record<string, unknown> {
  return {
    id,
    application_id: ctx.applicationId,
    type,
    token,
    version: 1,
    guild_id: ctx.guildId,
    channel_id: ctx.channelId,
    channel: {
      id: ctx.channelId,
      type: 0,
      guild_id: ctx.guildId,
      name: 'news',
      position: 0,
      flags: 0,
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      permissions: ctx.permissions,
    },
    member: {
      user: ctx.user,
      roles: [],
      premium_since: null,
      permissions: ctx.permissions,
      pending: false,
      nick: null,
      mute: false,
      deaf: false,
      flags: 0,
      joined_at: '2024-01-01T00:00:00.000000+00:00',
      avatar: null,
      communication_disabled_until: null,
    },
    app_permissions: '412317240384',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': ctx.guildId },
    context: 0,
  };
}
