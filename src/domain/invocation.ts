import type { ChannelId, Platform } from './channel.js';
import type { ForumTag } from './presentation.js';

/** Who is asking, as far as the platform can tell us. */
export interface Invoker {
  platform: Platform;
  id: string;
  name?: string;
  /** Whether the platform says this user may change subscriptions and feeds in this channel. */
  canManage: boolean;
}

/** A `/news` call, normalised by each adapter. Arguments are raw strings; commands validate them. */
export interface Invocation {
  command: 'news';
  sub: string;
  args: Record<string, string>;
  user: Invoker;
  channel: ChannelId;
  /** The guild (Discord) or workspace (Slack) the channel belongs to, when known. */
  space?: string;
  /** Set by adapters that can tell, for commands that manage the channel. */
  place?: ChannelPlace;
  /** Typed as one line of text (Slack's slash command): no file can come with it, so usage leaves files out. */
  typed?: boolean;
}

/** What the platform says about the channel a command came from (Discord: a forum and its tags). */
export interface ChannelPlace {
  kind: 'forum' | 'text';
  /** The forum's `available_tags`; only for a forum. */
  tags?: ForumTag[];
}
