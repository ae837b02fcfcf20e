import { cardTemplateValues, fillFromSource, type TemplatePart } from '../../domain/post-template.js';
import type { ArticleCard, PostLook } from '../../domain/reply.js';
import { articleEmbed, safeUrl, type DiscordEmbed } from './embed.js';
import { LIMITS } from './limits.js';
import { defuseMentions, escapeMarkdown, truncate } from './text.js';

/** Who a post may ping: Discord pings nobody outside these lists, whatever the content says. */
export interface AllowedMentions {
  parse: [];
  roles?: string[];
  users?: string[];
}

export interface DiscordPostParts {
  content?: string;
  embeds: DiscordEmbed[];
  allowed: AllowedMentions;
}

/**
 * A template's own text renders as markdown, but mention syntax in it is neutralised: the only pings a
 * post carries are the subscription's configured ids, which are put in front by us.
 */
function templateLiteral(text: string): string {
  return defuseMentions(text.replace(/<(@[!&]?|#)/g, '\\<$1'));
}

export function fillDiscord(parts: TemplatePart[], card: ArticleCard, look: PostLook, room: number): string {
  const valueCount = Math.max(1, parts.filter((part) => part.kind === 'value').length);
  const share = Math.max(16, Math.floor(room / valueCount));
  const safeParts = parts.map((part) => (part.kind === 'text' ? { ...part, text: templateLiteral(part.text) } : part));
  const source = card.template ?? { values: cardTemplateValues(card) };
  const filled = fillFromSource(safeParts, source, {
    timeZone: look.timeZone,
    // Values are escaped first, then cut: the cut knows about escapes and links and never splits one.
    escape: (text) => truncate(escapeMarkdown(text), share),
    cap: (text) => text,
  });
  return truncate(filled, room);
}

export function mentionLine(look: PostLook): { line: string; allowed: AllowedMentions } {
  const roles = look.mentions.filter((m) => m.kind === 'role' && /^\d{17,20}$/.test(m.id)).map((m) => m.id);
  const users = look.mentions.filter((m) => m.kind === 'user' && /^\d{17,20}$/.test(m.id)).map((m) => m.id);
  const allowed: AllowedMentions = { parse: [] };
  if (roles.length > 0) allowed.roles = roles;
  if (users.length > 0) allowed.users = users;
  const line = [...roles.map((id) => `<@&${id}>`), ...users.map((id) => `<@${id}>`)].join(' ');
  return { line, allowed };
}

export function compactLine(card: ArticleCard): string {
  const title = truncate(escapeMarkdown(card.title || card.id), LIMITS.embedTitle);
  const url = safeUrl(card.url);
  const head = url ? `**[${title}](<${url}>)**` : `**${title}**`;
  const source = card.sourceName ? ` · ${truncate(escapeMarkdown(card.sourceName), 100)}` : '';
  return `${head}${source}`;
}

/** One post of a subscription with a look: content, embeds and exactly the mentions allowed. */
export function discordPost(card: ArticleCard, look: PostLook): DiscordPostParts {
  const { line, allowed } = mentionLine(look);
  const prefix = line ? `${line}\n` : '';
  const room = LIMITS.content - prefix.length;
  const templated = look.template ? fillDiscord(look.template, card, look, room) : undefined;
  const image = card.image ? { url: card.image } : undefined;
  let content: string | undefined;
  const embeds: DiscordEmbed[] = [];
  if (look.style === 'card') {
    content = templated;
    const embed = articleEmbed(card, card.description ? escapeMarkdown(card.description) : undefined);
    if (image) embed.image = image;
    embeds.push(embed);
  } else if (look.style === 'compact') {
    content = templated ?? truncate(compactLine(card), room);
    if (image) embeds.push({ image });
  } else {
    content = templated ?? truncate(compactLine(card), room);
  }
  const text = `${prefix}${content ?? ''}`.trim();
  return { content: text || undefined, embeds, allowed };
}
