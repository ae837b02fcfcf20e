import type { Article } from './article.js';
import { NewsdeskError } from './errors.js';
import { parseTemplate, type PostStyle, POST_STYLES, type TemplatePart } from './post-template.js';

/**
 * Someone a subscription may ping. Discord: `role` or `user` (snowflakes). Slack: `user` (U… or W…) or
 * `subteam` (S…, a user group). Broadcasts (@everyone, @here, <!channel>) have no kind: they cannot be named.
 */
export interface Mention {
  kind: 'role' | 'user' | 'subteam';
  id: string;
}

/** How a subscription's posts look. Every field is optional in storage; `presentationOf` fills defaults. */
export interface Presentation {
  style: PostStyle;
  /** Template text as the user wrote it; parsed again when rendering (cheap, and never stale). */
  template?: string;
  /** Show the lead image (https only, never fetched by the bot). */
  image: boolean;
  mentions: Mention[];
  /** Words that must match for the mentions to be added; undefined: every post pings. */
  mentionFilter?: string;
  /** Discord text channels: a thread per post. Slack: button answers go to the post's thread. */
  thread: boolean;
  /** Discord forum channels: the forum's tags applied to each post, resolved when subscribing. */
  tags: ForumTag[];
}

/** A tag of a Discord forum (`available_tags`): its id goes into `applied_tags`, its name is what people type. */
export interface ForumTag {
  id: string;
  name: string;
}

/** Discord applies at most 5 tags to one forum post. */
export const MAX_FORUM_TAGS = 5;

/**
 * `tags=News, Release notes` against the forum's own tags (case-insensitive names). An unknown name is
 * refused with the names the forum has, so nothing half-applied is ever saved.
 */
export function resolveForumTags(text: string, available: ForumTag[] | undefined): ForumTag[] {
  const names = [
    ...new Set(
      text
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) return [];
  if (!available) {
    throw new NewsdeskError('bad_input', 'tags only apply in a forum channel. Nothing was saved.');
  }
  const resolved = names.map((name) => {
    const found = available.find((tag) => tag.name.toLowerCase() === name.toLowerCase());
    if (!found) {
      const known = available.map((tag) => tag.name).join(', ') || 'none';
      throw new NewsdeskError(
        'bad_input',
        `This forum has no tag "${name.slice(0, 40)}" (its tags: ${known.slice(0, 300)}). Nothing was saved.`,
      );
    }
    return { id: found.id, name: found.name };
  });
  // `news` and `News` are one tag.
  const unique = resolved.filter((tag, index) => resolved.findIndex((other) => other.id === tag.id) === index);
  if (unique.length > MAX_FORUM_TAGS) {
    throw new NewsdeskError('bad_input', `A forum post takes at most ${MAX_FORUM_TAGS} tags. Nothing was saved.`);
  }
  return unique;
}

const isForumTag = (tag: unknown): tag is ForumTag =>
  typeof (tag as ForumTag)?.id === 'string' && typeof (tag as ForumTag)?.name === 'string';

/** At most this many ids per subscription: a ping list, not a roll call. */
export const MAX_MENTIONS = 5;

const DISCORD_ID = /^\d{17,20}$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;
const SLACK_GROUP = /^S[A-Z0-9]{2,20}$/;

function parseOne(token: string, platform: string): Mention | undefined {
  if (platform === 'discord') {
    const role = /^<@&(\d{17,20})>$/.exec(token) ?? /^role:(\d{17,20})$/i.exec(token);
    if (role) return { kind: 'role', id: role[1]! };
    const user = /^<@!?(\d{17,20})>$/.exec(token) ?? /^user:(\d{17,20})$/i.exec(token);
    if (user) return { kind: 'user', id: user[1]! };
    return undefined;
  }
  if (platform === 'slack') {
    const group = /^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token) ?? /^subteam:([A-Z0-9]+)$/i.exec(token);
    if (group && SLACK_GROUP.test(group[1]!)) return { kind: 'subteam', id: group[1]! };
    const user = /^<@([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token) ?? /^user:([A-Z0-9]+)$/i.exec(token);
    if (user && SLACK_USER.test(user[1]!)) return { kind: 'user', id: user[1]! };
    return undefined;
  }
  return undefined;
}

/**
 * `<@&123…> <@456…>` (Discord's own mention syntax, which its client inserts for `@Role`), `role:`/`user:`
 * ids, or on Slack `<@U…>`, `<!subteam^S…>`. Anything else, broadcasts included, is refused by name.
 */
export function parseMentions(text: string, platform: string): Mention[] {
  const tokens = text.split(/[\s,]+/).filter(Boolean);
  if (tokens.length > MAX_MENTIONS) {
    throw new NewsdeskError('bad_input', `At most ${MAX_MENTIONS} mentions per subscription. Nothing was saved.`);
  }
  const mentions: Mention[] = [];
  for (const token of tokens) {
    if (/^@?(everyone|here|channel)$|^<!(everyone|here|channel)/i.test(token)) {
      throw new NewsdeskError('bad_input', `${token} is never allowed: name roles or people. Nothing was saved.`);
    }
    const mention = parseOne(token, platform);
    if (!mention) {
      const hint = platform === 'slack' ? 'user:U… or subteam:S… ids' : '@Role or @someone';
      throw new NewsdeskError(
        'bad_input',
        `"${token.slice(0, 40)}" is not a mention; pick ${hint}. Nothing was saved.`,
      );
    }
    if (!mentions.some((known) => known.kind === mention.kind && known.id === mention.id)) mentions.push(mention);
  }
  return mentions;
}

/** Discord snowflakes, Slack ids: only these ever reach a renderer's mention output. */
export function isValidMention(mention: Mention): boolean {
  if (mention.kind === 'subteam') return SLACK_GROUP.test(mention.id);
  return DISCORD_ID.test(mention.id) || SLACK_USER.test(mention.id);
}

export function describeMention(mention: Mention): string {
  if (mention.kind === 'role') return `<@&${mention.id}>`;
  if (mention.kind === 'subteam') return `<!subteam^${mention.id}>`;
  return `<@${mention.id}>`;
}

export function parseStyle(text: string): PostStyle {
  const style = text.trim().toLowerCase() as PostStyle;
  if (!POST_STYLES.includes(style)) {
    throw new NewsdeskError('bad_input', `style is one of ${POST_STYLES.join(', ')}. Nothing was saved.`);
  }
  return style;
}

export function parseOnOff(name: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (['on', 'yes', 'true', '1'].includes(value)) return true;
  if (['off', 'no', 'false', '0'].includes(value)) return false;
  throw new NewsdeskError('bad_input', `${name} is on or off. Nothing was saved.`);
}

/** A stored presentation (JSON, possibly from an older or hand-edited row) with defaults filled in. */
export function presentationOf(stored: Partial<Presentation> | undefined): Presentation {
  const given = stored ?? {};
  return {
    style: POST_STYLES.includes(given.style as PostStyle) ? (given.style as PostStyle) : 'card',
    template: typeof given.template === 'string' && given.template ? given.template : undefined,
    image: given.image !== false,
    mentions: Array.isArray(given.mentions) ? given.mentions.filter(isValidMention).slice(0, MAX_MENTIONS) : [],
    mentionFilter: typeof given.mentionFilter === 'string' && given.mentionFilter ? given.mentionFilter : undefined,
    thread: given.thread === true,
    tags: Array.isArray(given.tags) ? given.tags.filter(isForumTag).slice(0, MAX_FORUM_TAGS) : [],
  };
}

/** The lead image: the first https image of the article (feed image or extraction's), never fetched. */
export function leadImage(article: Pick<Article, 'images'>): string | undefined {
  for (const image of article.images) {
    if (!image.url || image.url.length > 2_048) continue;
    try {
      const url = new URL(image.url);
      if (url.protocol === 'https:' && !/[\s<>|]/.test(image.url)) return url.href;
    } catch {
      // not a URL: try the next one
    }
  }
  return undefined;
}

/** The template as parts, or undefined for a style's default look. Throws `bad_input` for a bad one. */
export function templateParts(template: string | undefined): TemplatePart[] | undefined {
  return template ? parseTemplate(template) : undefined;
}
